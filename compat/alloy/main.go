// Sends what Grafana Alloy's pyroscope.write sends, built from Alloy's source (see
// compat/README.md): a Connect unary push.v1.PusherService/Push over HTTP/1.1 with Pyroscope's
// published push client, no request compression, Alloy's User-Agent and X-Alloy-Id headers and a
// Connect-Timeout-Ms from remote_timeout; plus the /ingest request pyroscope.receive_http forwards
// for an SDK's upload. One series per Alloy source:
//   - pyroscope.ebpf: __name__=process_cpu, a "cpu"/"nanoseconds" pprof whose values are samples ×
//     period (19 Hz default), otel.scope.name=com.grafana.alloy/pyroscope.ebpf; Alloy's default
//     comm = "none" (no comm frame, no pprof sample labels);
//   - pyroscope.java: the async-profiler JFR as pprof, __name__=process_cpu, __delta__=false,
//     jfr_event=itimer, pyroscope_spy=alloy.java;
//   - receive_http → write: /ingest?name=<service>{…,service_name=<service>}&format=pprof.
//
// Env: SERVER, APP (a prefix), PUSHES.
package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"time"

	"connectrpc.com/connect"
	"github.com/google/pprof/profile"
	pushv1 "github.com/grafana/pyroscope/api/gen/proto/go/push/v1"
	"github.com/grafana/pyroscope/api/gen/proto/go/push/v1/pushv1connect"
	typesv1 "github.com/grafana/pyroscope/api/gen/proto/go/types/v1"
)

const (
	userAgent   = "Alloy/v1.12.0 (linux; binary)"
	alloyID     = "hearth-compat-alloy"
	hotFunction = "hearthHotAlloy"
)

// cpuProfile makes a CPU pprof the way Alloy's eBPF builder and jfr-parser do: sample type and
// period type cpu/nanoseconds, values already multiplied by the period.
func cpuProfile(root string, period int64, start time.Time, d time.Duration) []byte {
	fn := func(id uint64, name string) *profile.Function {
		return &profile.Function{ID: id, Name: name, SystemName: name, Filename: "hot.go"}
	}
	m := &profile.Mapping{ID: 1, HasFunctions: true}
	funcs := []*profile.Function{fn(1, root), fn(2, "main"), fn(3, hotFunction), fn(4, "coldHelper")}
	locs := make([]*profile.Location, len(funcs))
	for i, f := range funcs {
		locs[i] = &profile.Location{ID: uint64(i + 1), Mapping: m, Address: uint64(0x1000 * (i + 1)),
			Line: []profile.Line{{Function: f, Line: int64(10 * (i + 1))}}}
	}
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        period,
		TimeNanos:     start.UnixNano(),
		DurationNanos: d.Nanoseconds(),
		Mapping:       []*profile.Mapping{m},
		Location:      locs,
		Function:      funcs,
		Sample: []*profile.Sample{
			// Leaf first, as pprof stores stacks.
			{Location: []*profile.Location{locs[2], locs[1], locs[0]}, Value: []int64{90 * period}},
			{Location: []*profile.Location{locs[3], locs[1], locs[0]}, Value: []int64{10 * period}},
		},
	}
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// series turns labels into the sorted LabelPair list Alloy's labels.Builder produces.
func series(ls map[string]string, raw []byte, id string) *pushv1.RawProfileSeries {
	names := make([]string, 0, len(ls))
	for k := range ls {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]*typesv1.LabelPair, 0, len(names))
	for _, k := range names {
		pairs = append(pairs, &typesv1.LabelPair{Name: k, Value: ls[k]})
	}
	return &pushv1.RawProfileSeries{Labels: pairs, Samples: []*pushv1.RawSample{{ID: id, RawProfile: raw}}}
}

func withHeaders() connect.ClientOption {
	return connect.WithInterceptors(connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("User-Agent", userAgent)
			req.Header().Set("X-Alloy-Id", alloyID)
			return next(ctx, req)
		}
	}))
}

func main() {
	server, app := os.Getenv("SERVER"), os.Getenv("APP")
	pushes, _ := strconv.Atoi(os.Getenv("PUSHES"))
	// Alloy's default transport: HTTP/2 only through TLS ALPN, so plain http:// is HTTP/1.1.
	httpClient := &http.Client{Transport: &http.Transport{}}
	client := pushv1connect.NewPusherServiceClient(httpClient, server, withHeaders())
	failed := false
	for i := 0; i < pushes; i++ {
		until := time.Now()
		from := until.Add(-15 * time.Second)
		ebpfPeriod := time.Second.Nanoseconds() / 19
		javaPeriod := time.Second.Nanoseconds() / 100
		req := connect.NewRequest(&pushv1.PushRequest{Series: []*pushv1.RawProfileSeries{
			// Alloy's write drops the target's other __-prefixed labels (__meta_*, __address__).
			series(map[string]string{
				"__name__": "process_cpu", "service_name": app + "-ebpf", "container_id": "c0ffee",
				"otel.scope.name": "com.grafana.alloy/pyroscope.ebpf", "otel.scope.version": "v1.12.0",
			}, cpuProfile("_start", ebpfPeriod, from, 15*time.Second), ""),
			series(map[string]string{
				"__name__": "process_cpu", "__delta__": "false", "service_name": app + "-java",
				"jfr_event": "itimer", "pyroscope_spy": "alloy.java",
				"otel.scope.name": "com.grafana.alloy/pyroscope.java", "otel.scope.version": "v1.12.0",
			}, cpuProfile("java/lang/Thread.run", javaPeriod, from, 15*time.Second), ""),
		}})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // remote_timeout
		_, err := client.Push(ctx, req)
		cancel()
		if err != nil {
			fmt.Fprintf(os.Stderr, "push %d: %v\n", i, err)
			failed = true
		}
		if err := forwardIngest(httpClient, server, app+"-ingest", from, until); err != nil {
			fmt.Fprintf(os.Stderr, "ingest %d: %v\n", i, err)
			failed = true
		}
		time.Sleep(time.Second)
	}
	if failed {
		os.Exit(1)
	}
}

// forwardIngest is receive_http → write's AppendIngest: the SDK's query is kept, name= becomes the
// normalised label set with service_name added, the body and Content-Type are passed on as sent.
func forwardIngest(c *http.Client, server, service string, from, until time.Time) error {
	q := url.Values{}
	q.Set("name", service+"{env=compat,service_name="+service+"}")
	q.Set("format", "pprof")
	q.Set("from", strconv.FormatInt(from.Unix(), 10))
	q.Set("until", strconv.FormatInt(until.Unix(), 10))
	q.Set("sampleRate", "100")
	q.Set("spyName", "gospy")
	body := cpuProfile("runtime.main", time.Second.Nanoseconds()/100, from, until.Sub(from))
	req, err := http.NewRequest(http.MethodPost, server+"/ingest?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Alloy-Id", alloyID)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return fmt.Errorf("%s: %s", resp.Status, b.String())
	}
	return nil
}
