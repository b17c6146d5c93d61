// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// It speaks Pulumi's LanguageRuntime gRPC protocol and runs a program with the real Node.js
// runtime of the `@pulumi/pulumi` package that the program itself depends on
// (`node_modules/@pulumi/pulumi/cmd/run`), exactly as Pulumi's own host launches it. It exists
// because the Go module proxy serves the Pulumi CLI (`pkg/v3`, `sdk/v3`) at tagged releases but
// not Pulumi's Node.js host module, which has no version tags. The toolchain script prefers a
// complete Pulumi installation on PATH; this host is used only when it builds the CLI itself.
//
// Supported: running TypeScript or JavaScript programs (preview, update, destroy, refresh),
// config and secret config, the `typescript`, `tsconfig` and `nodeargs` runtime options.
// Not supported: `pulumi install`, program generation, policy packs and Node.js plugins run
// through the host; those calls return Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitAfterReportingError is the exit code @pulumi/pulumi's runner uses after it has printed a
// user-actionable error itself.
const exitAfterReportingError = 32

// version is stamped at build time with the release of the CLI it is built beside.
var version = "v0.0.0"

// options are the runtime options from Pulumi.yaml, which the engine passes as `-name=value`.
type options struct {
	typescript    bool
	tsconfig      string
	nodeargs      string
	engineAddress string
}

// parseArgs reads the engine's flags leniently: the engine may pass runtime options this host
// does not know, and failing on them would make every program fail.
func parseArgs(args []string) options {
	opts := options{typescript: true}
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") {
			if opts.engineAddress == "" {
				opts.engineAddress = arg
			}
			continue
		}
		name, value, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		switch name {
		case "typescript":
			opts.typescript = value != "false"
		case "tsconfig":
			opts.tsconfig = value
		case "nodeargs":
			opts.nodeargs = value
		}
	}
	return opts
}

func main() {
	opts := parseArgs(os.Args[1:])
	nodePath, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: node was not found on PATH; install Node.js 22 or later")
		os.Exit(1)
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{node: nodePath, opts: opts})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	node string
	opts options
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.opts.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins and GetRequiredPackages report no plugins: provider plugins are resolved by
// the engine when the program registers resources, and automatic downloads are disabled offline.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command(h.node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("reading the node version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: h.node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

// Run executes the program with the program's own @pulumi/pulumi runtime and reports a failed
// program through RunResponse.Error, as the engine expects.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runPath, err := findRuntime(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("serialising config: %w", err)
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, fmt.Errorf("serialising secret config keys: %w", err)
	}

	var args []string
	if h.opts.nodeargs != "" {
		args = append(args, strings.Fields(h.opts.nodeargs)...)
	}
	args = append(args, runPath)
	appendFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	appendFlag("monitor", req.GetMonitorAddress())
	appendFlag("engine", h.opts.engineAddress)
	appendFlag("organization", req.GetOrganization())
	appendFlag("project", req.GetProject())
	appendFlag("stack", req.GetStack())
	appendFlag("pwd", req.GetPwd())
	appendFlag("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	appendFlag("parallel", fmt.Sprint(req.GetParallel()))
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, h.node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", h.opts.typescript),
	)
	if h.opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+h.opts.tsconfig)
	}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterReportingError {
				// The runtime has already shown the error to the user: the engine only needs to stop.
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d",
				exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// findRuntime looks for @pulumi/pulumi's program runner the way Node.js resolves packages: in
// node_modules of the program directory and of each directory above it.
func findRuntime(programDir string) (string, error) {
	dir, err := filepath.Abs(programDir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run")
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf(
				"@pulumi/pulumi is not installed for the program in %s: run npm install there", programDir)
		}
		dir = parent
	}
}
