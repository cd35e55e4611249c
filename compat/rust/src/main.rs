//! Hearth compat app: burns CPU in one known function while the Pyroscope Rust SDK pushes.
//! SERVER, APP and RUN_MS come from compat/run.sh.
use pyroscope::backend::{pprof_backend, BackendConfig, PprofConfig};
use pyroscope::pyroscope::PyroscopeAgentBuilder;
use std::hint::black_box;
use std::time::{Duration, Instant};

// Plain operators and a while loop: a debug build (what run.sh builds, for a short cold build)
// would otherwise spend the time in Range::next and friends, frames of their own.
#[inline(never)]
fn hearth_hot_rust(n: u64) -> u64 {
    let mut s = 0u64;
    let mut i = 0u64;
    while i < n {
        s = (s + i * i % 7) % 1_000_000_007;
        i += 1;
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = std::env::var("SERVER")?;
    let app = std::env::var("APP")?;
    let run_ms: u64 = std::env::var("RUN_MS")?.parse()?;
    let agent = PyroscopeAgentBuilder::new(
        &server,
        &app,
        100,
        "pyroscope-rs",
        env!("CARGO_PKG_VERSION"),
        pprof_backend(PprofConfig::default(), BackendConfig::default()),
    )
    .tags(vec![("env", "compat")])
    .upload_interval(Duration::from_secs(3))
    .build()?;
    let running = agent.start()?;
    let deadline = Instant::now() + Duration::from_millis(run_ms);
    let mut sink = 0u64;
    while Instant::now() < deadline {
        sink = sink.wrapping_add(hearth_hot_rust(2_000_000));
    }
    black_box(sink);
    running.stop()?.shutdown();
    Ok(())
}
