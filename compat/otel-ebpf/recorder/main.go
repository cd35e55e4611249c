// Command recorder is a loopback gRPC relay between the OpenTelemetry eBPF profiler and Hearth: it
// takes every unary call whatever its service, keeps the request's protobuf bytes exactly as the
// profiler sent them (after the gzip transport compression is undone) in -dir as NNN.pb, forwards
// the call to -upstream when one is given and returns its answer (an empty one otherwise).
//
// With -host-name, every OTLP resource that carries no host.name gets that one before the call is
// forwarded, as the OpenTelemetry Collector's resourcedetection processor does in the profiler's
// documented deployment (the profiler sends none of its own). The recorded bytes stay unchanged.
//
//	recorder -listen 127.0.0.1:PORT -dir DIR [-upstream HOST:PORT] [-host-name NAME] [-keep N]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip" // the profiler compresses every export
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protowire"
)

// raw passes messages through as bytes, so the relay needs no generated code.
type raw struct{}

func (raw) Name() string { return "proto" }

func (raw) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }

func (raw) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	dir := flag.String("dir", ".", "directory the requests are written to")
	upstream := flag.String("upstream", "", "gRPC address to forward every call to (none: answer empty)")
	keep := flag.Int("keep", 1000, "write at most this many requests")
	hostName := flag.String("host-name", "", "host.name to give OTLP resources that have none")
	flag.Parse()

	var up *grpc.ClientConn
	if *upstream != "" {
		var err error
		up, err = grpc.NewClient(*upstream, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			log.Fatalf("recorder: upstream %s: %v", *upstream, err)
		}
	}
	var n atomic.Int64
	handler := func(_ any, stream grpc.ServerStream) error {
		method, _ := grpc.MethodFromServerStream(stream)
		var in []byte
		if err := stream.RecvMsg(&in); err != nil {
			return err
		}
		if i := n.Add(1); i <= int64(*keep) {
			name := filepath.Join(*dir, fmt.Sprintf("%03d.pb", i))
			if err := os.WriteFile(name, in, 0o644); err != nil {
				return err
			}
			log.Printf("recorder: %s %d bytes -> %s", method, len(in), name)
		}
		out := []byte{}
		if *hostName != "" {
			var err error
			if in, err = withHostName(in, *hostName); err != nil {
				return fmt.Errorf("recorder: not an OTLP export request: %w", err)
			}
		}
		if up != nil {
			ctx := stream.Context()
			if md, ok := metadata.FromIncomingContext(ctx); ok {
				ctx = metadata.NewOutgoingContext(context.Background(), md.Copy())
			}
			if err := up.Invoke(ctx, method, &in, &out, grpc.ForceCodec(raw{})); err != nil {
				return err
			}
		}
		return stream.SendMsg(&out)
	}
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("recorder: %v", err)
	}
	log.Printf("recorder: listening on %s", lis.Addr())
	srv := grpc.NewServer(grpc.ForceServerCodec(raw{}), grpc.UnknownServiceHandler(handler))
	log.Fatal(srv.Serve(lis))
}

// Field numbers of opentelemetry.proto (collector ExportProfilesServiceRequest.resource_profiles,
// ResourceProfiles.resource, Resource.attributes, KeyValue.key/value, AnyValue.string_value).
const (
	requestResourceProfiles  = 1
	resourceProfilesResource = 1
	resourceAttributes       = 1
	keyValueKey              = 1
	keyValueValue            = 2
	anyValueString           = 1
)

// withHostName adds host.name=name to each resource of an export request that has none.
func withHostName(req []byte, name string) ([]byte, error) {
	return rewrite(req, requestResourceProfiles, func(rp []byte) ([]byte, error) {
		found := false
		out, err := rewrite(rp, resourceProfilesResource, func(res []byte) ([]byte, error) {
			found = true
			if hasHostName(res) {
				return res, nil
			}
			return appendHostName(res, name), nil
		})
		if err == nil && !found {
			out = protowire.AppendTag(out, resourceProfilesResource, protowire.BytesType)
			out = protowire.AppendBytes(out, appendHostName(nil, name))
		}
		return out, err
	})
}

// rewrite copies msg, passing every length-delimited field numbered field through f.
func rewrite(msg []byte, field protowire.Number, f func([]byte) ([]byte, error)) ([]byte, error) {
	out := make([]byte, 0, len(msg)+64)
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		m := protowire.ConsumeFieldValue(num, typ, msg[n:])
		if m < 0 {
			return nil, protowire.ParseError(m)
		}
		if num == field && typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(msg[n:])
			v, err := f(v)
			if err != nil {
				return nil, err
			}
			out = protowire.AppendTag(out, num, typ)
			out = protowire.AppendBytes(out, v)
		} else {
			out = append(out, msg[:n+m]...)
		}
		msg = msg[n+m:]
	}
	return out, nil
}

func hasHostName(res []byte) bool {
	found := false
	_, _ = rewrite(res, resourceAttributes, func(kv []byte) ([]byte, error) {
		_, _ = rewrite(kv, keyValueKey, func(k []byte) ([]byte, error) {
			found = found || string(k) == "host.name"
			return k, nil
		})
		return kv, nil
	})
	return found
}

func appendHostName(res []byte, name string) []byte {
	var value, kv []byte
	value = protowire.AppendTag(value, anyValueString, protowire.BytesType)
	value = protowire.AppendString(value, name)
	kv = protowire.AppendTag(kv, keyValueKey, protowire.BytesType)
	kv = protowire.AppendString(kv, "host.name")
	kv = protowire.AppendTag(kv, keyValueValue, protowire.BytesType)
	kv = protowire.AppendBytes(kv, value)
	res = append([]byte(nil), res...)
	res = protowire.AppendTag(res, resourceAttributes, protowire.BytesType)
	return protowire.AppendBytes(res, kv)
}
