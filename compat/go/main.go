package main

import (
	"os"
	"time"

	"github.com/grafana/pyroscope-go"
)

//go:noinline
func hearthHotGo(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i % 7
	}
	return s
}

func main() {
	p, err := pyroscope.Start(pyroscope.Config{
		ApplicationName: os.Getenv("APP"),
		ServerAddress:   os.Getenv("SERVER"),
		Tags:            map[string]string{"env": "compat"},
		UploadRate:      3 * time.Second,
		ProfileTypes: []pyroscope.ProfileType{
			pyroscope.ProfileCPU, pyroscope.ProfileAllocObjects, pyroscope.ProfileAllocSpace,
			pyroscope.ProfileInuseObjects, pyroscope.ProfileInuseSpace,
		},
	})
	if err != nil {
		panic(err)
	}
	d, _ := time.ParseDuration(os.Getenv("RUN_FOR"))
	deadline := time.Now().Add(d)
	sink := 0
	for time.Now().Before(deadline) {
		sink += hearthHotGo(5_000_000)
	}
	_ = sink
	p.Stop()
}
