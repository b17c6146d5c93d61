//go:build tools

// Package tools pins the Pulumi CLI release that the project builds from the Go module proxy.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
