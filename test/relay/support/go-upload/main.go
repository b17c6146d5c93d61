// An upload client built on Go's net/http, the client Alertmanager uses: it POSTs a body of the
// given size and prints the status it got, or the error, as one JSON line per try.
//
//	go run . <url> <bytes> <tries> [authorization header]
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
)

// zeros is an endless source of spaces; the body is as large as the limit reader allows.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: go-upload <url> <bytes> <tries> [authorization]")
		os.Exit(2)
	}
	url := os.Args[1]
	size, _ := strconv.ParseInt(os.Args[2], 10, 64)
	tries, _ := strconv.Atoi(os.Args[3])
	client := &http.Client{}
	out := json.NewEncoder(os.Stdout)
	for try := 0; try < tries; try++ {
		request, err := http.NewRequest("POST", url, io.LimitReader(spaces{}, size))
		if err != nil {
			panic(err)
		}
		request.ContentLength = size
		request.Header.Set("content-type", "application/json")
		if len(os.Args) > 4 {
			request.Header.Set("authorization", os.Args[4])
		}
		response, err := client.Do(request)
		if err != nil {
			_ = out.Encode(map[string]any{"error": err.Error()})
			continue
		}
		_, _ = io.Copy(io.Discard, response.Body)
		response.Body.Close()
		_ = out.Encode(map[string]any{"status": response.StatusCode})
	}
}
