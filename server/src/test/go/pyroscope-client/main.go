// pyroscope-client calls Hearth's querier.v1.QuerierService with the Go client generated from
// Pyroscope's published protos (github.com/grafana/pyroscope/api), the same client Grafana's
// Pyroscope data source and profilecli use. It reads one request as protobuf JSON on stdin, calls
// the named method over the chosen protocol and prints the response as protobuf JSON on stdout.
// On an error it prints {"error": {"code": …, "message": …}} and exits 3.
//
//	pyroscope-client -url http://127.0.0.1:4040 -protocol connect SelectMergeStacktraces < req.json
//
// Protocols: connect (Connect, binary protobuf, gzip accepted, as the Go clients default to),
// connect-json (Connect with JSON bodies), grpc (gRPC over cleartext HTTP/2, for the gRPC port).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"connectrpc.com/connect"
	googlev1 "github.com/grafana/pyroscope/api/gen/proto/go/google/v1"
	querierv1 "github.com/grafana/pyroscope/api/gen/proto/go/querier/v1"
	"github.com/grafana/pyroscope/api/gen/proto/go/querier/v1/querierv1connect"
	typesv1 "github.com/grafana/pyroscope/api/gen/proto/go/types/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

type headers struct {
	next   http.RoundTripper
	tenant string
	token  string
}

func (h headers) RoundTrip(r *http.Request) (*http.Response, error) {
	if h.tenant != "" {
		r.Header.Set("X-Scope-OrgID", h.tenant)
	}
	if h.token != "" {
		r.Header.Set("Authorization", "Bearer "+h.token)
	}
	return h.next.RoundTrip(r)
}

func main() {
	url := flag.String("url", "http://127.0.0.1:4040", "Hearth's HTTP (connect) or gRPC (grpc) address")
	protocol := flag.String("protocol", "connect", "connect, connect-json or grpc")
	tenant := flag.String("tenant", "", "X-Scope-OrgID")
	token := flag.String("token", "", "bearer token")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pyroscope-client [flags] Method < request.json")
		os.Exit(2)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	var opts []connect.ClientOption
	switch *protocol {
	case "connect":
	case "connect-json":
		opts = append(opts, connect.WithProtoJSON())
	case "grpc":
		var p http.Protocols
		p.SetUnencryptedHTTP2(true)
		transport.Protocols = &p
		opts = append(opts, connect.WithGRPC())
	default:
		fmt.Fprintln(os.Stderr, "unknown protocol", *protocol)
		os.Exit(2)
	}
	client := querierv1connect.NewQuerierServiceClient(
		&http.Client{Transport: headers{transport, *tenant, *token}}, *url, opts...)
	body, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := call(ctx, client, flag.Arg(0), body)
	if err != nil {
		var ce *connect.Error
		if e, ok := err.(*connect.Error); ok {
			ce = e
		} else {
			ce = connect.NewError(connect.CodeUnknown, err)
		}
		b, _ := json.Marshal(map[string]any{"error": map[string]string{
			"code": ce.Code().String(), "message": ce.Message()}})
		fmt.Println(string(b))
		os.Exit(3)
	}
	b, err := protojson.MarshalOptions{EmitUnpopulated: false}.Marshal(out)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(b))
}

func decode[T any, P interface {
	*T
	proto.Message
}](body []byte) *T {
	var m T
	if err := protojson.Unmarshal(body, P(&m)); err != nil {
		fail(err)
	}
	return &m
}

func call(ctx context.Context, c querierv1connect.QuerierServiceClient, method string, body []byte) (proto.Message, error) {
	switch method {
	case "ProfileTypes":
		r, err := c.ProfileTypes(ctx, connect.NewRequest(decode[querierv1.ProfileTypesRequest](body)))
		return msg(r, err)
	case "LabelNames":
		r, err := c.LabelNames(ctx, connect.NewRequest(decode[typesv1.LabelNamesRequest](body)))
		return msg(r, err)
	case "LabelValues":
		r, err := c.LabelValues(ctx, connect.NewRequest(decode[typesv1.LabelValuesRequest](body)))
		return msg(r, err)
	case "Series":
		r, err := c.Series(ctx, connect.NewRequest(decode[querierv1.SeriesRequest](body)))
		return msg(r, err)
	case "SelectMergeStacktraces":
		r, err := c.SelectMergeStacktraces(ctx, connect.NewRequest(decode[querierv1.SelectMergeStacktracesRequest](body)))
		return msg(r, err)
	case "SelectMergeSpanProfile":
		r, err := c.SelectMergeSpanProfile(ctx, connect.NewRequest(decode[querierv1.SelectMergeSpanProfileRequest](body)))
		return msg(r, err)
	case "SelectMergeProfile":
		r, err := c.SelectMergeProfile(ctx, connect.NewRequest(decode[querierv1.SelectMergeProfileRequest](body)))
		return msg[googlev1.Profile](r, err)
	case "SelectSeries":
		r, err := c.SelectSeries(ctx, connect.NewRequest(decode[querierv1.SelectSeriesRequest](body)))
		return msg(r, err)
	case "Diff":
		r, err := c.Diff(ctx, connect.NewRequest(decode[querierv1.DiffRequest](body)))
		return msg(r, err)
	}
	fmt.Fprintln(os.Stderr, "unknown method", method)
	os.Exit(2)
	return nil, nil
}

func msg[T any](r *connect.Response[T], err error) (proto.Message, error) {
	if err != nil {
		return nil, err
	}
	return any(r.Msg).(proto.Message), nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
