//! Transcoding speed: `cargo run --release -p server --example transcode_bench FILE [PRESET]`.
//! Runs the app's own one-pass ladder encode on FILE, then each rung alone, and prints the time
//! and the multiple of real time.

use app::video::transcode::{encode_args, ladder_for};
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let file = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or_else(|| anyhow::anyhow!("usage: transcode_bench FILE [PRESET]"))?,
    );
    let preset = std::env::args().nth(2).unwrap_or_else(|| "veryfast".into());
    let probe = app::video::probe::probe(
        "ffprobe",
        &file,
        &app::video::probe::Limits {
            max_seconds: 100_000,
        },
    )
    .await
    .map_err(|m| anyhow::anyhow!("not a usable video: {m:?}"))?;
    let secs = probe.duration_ms as f64 / 1000.0;
    let out = std::env::temp_dir().join(format!("transcode-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out)?;
    let rungs = ladder_for(probe.height);
    let run = |rungs: Vec<app::video::transcode::Rung>| {
        let args = encode_args(
            &file,
            &out,
            &rungs,
            probe.has_audio,
            probe.duration_ms,
            &preset,
        );
        async move {
            let t = Instant::now();
            let st = tokio::process::Command::new("ffmpeg")
                .args(&args)
                .stdout(std::process::Stdio::null())
                .status()
                .await?;
            anyhow::ensure!(st.success(), "ffmpeg failed");
            Ok::<f64, anyhow::Error>(t.elapsed().as_secs_f64())
        }
    };
    println!(
        "source: {}x{}, {secs:.1} s, preset {preset}, {} cores",
        probe.width,
        probe.height,
        std::thread::available_parallelism()?.get()
    );
    let all = run(rungs.clone()).await?;
    let names: Vec<&str> = rungs.iter().map(|r| r.name).collect();
    println!(
        "whole ladder {names:?} in one pass: {all:.1} s = {:.2}x real time",
        secs / all
    );
    for r in &rungs {
        let t = run(vec![*r]).await?;
        let size = std::fs::metadata(out.join(format!("{}.mp4", r.name)))?.len();
        println!(
            "  {} alone: {t:.1} s = {:.2}x real time, {:.0} kbit/s",
            r.name,
            secs / t,
            size as f64 * 8.0 / secs / 1000.0
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}
