//! The transcoding job: one ffmpeg process decodes the upload once and encodes every rung of the
//! ladder (H.264 High + AAC, MP4 with faststart, keyframes every 4 s on every rung); each MP4 is
//! then remuxed (no re-encoding) into 4-second HLS segments, so the ladder switches cleanly. A
//! poster and a thumbnail strip follow. Progress is stored as it goes; the worker's lease is
//! renewed meanwhile and the job stops if it is lost.

use super::db::{self, RenditionRow};
use super::{Status, VideoMsg};
use crate::ids::VideoId;
use crate::server::jobs::{Job, JobContext, JobFailure as Failure};
use crate::server::{AppState, now_ms};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::io::AsyncBufReadExt;

/// Seconds between keyframes (and HLS segment length).
const GOP_SECONDS: u32 = 4;

/// A rung of the ladder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rung {
    pub name: &'static str,
    pub height: u32,
    pub max_kbps: u32,
    pub audio_kbps: u32,
}

const LADDER: [Rung; 3] = [
    Rung {
        name: "360p",
        height: 360,
        max_kbps: 900,
        audio_kbps: 96,
    },
    Rung {
        name: "720p",
        height: 720,
        max_kbps: 3000,
        audio_kbps: 128,
    },
    Rung {
        name: "1080p",
        height: 1080,
        max_kbps: 6000,
        audio_kbps: 160,
    },
];

/// The rungs for a source: 360p and 720p, 1080p when the source has it; never upscaled (a
/// source below 360 lines gets one rung at its own height).
pub fn ladder_for(source_height: i64) -> Vec<Rung> {
    if source_height < 360 {
        let h = (source_height.max(16) as u32) & !1;
        return vec![Rung {
            name: "360p",
            height: h,
            max_kbps: 700,
            audio_kbps: 96,
        }];
    }
    LADDER
        .iter()
        .copied()
        .filter(|r| r.height == 360 || r.height == 720 || source_height as u32 >= r.height)
        .filter(|r| r.height <= 720 || source_height >= 1000)
        .map(|r| {
            if r.height == 720 && source_height < 720 {
                Rung {
                    height: (source_height as u32) & !1,
                    ..r
                }
            } else {
                r
            }
        })
        .collect()
}

/// The ffmpeg arguments that encode the whole ladder in one pass.
pub fn encode_args(
    src: &Path,
    out_dir: &Path,
    rungs: &[Rung],
    has_audio: bool,
    duration_ms: i64,
    preset: &str,
) -> Vec<String> {
    let mut a: Vec<String> = [
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-progress",
        "pipe:1",
        "-nostats",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Read no longer than the probed duration (plus a second), whatever the container claims.
    a.extend([
        "-t".into(),
        format!("{:.3}", duration_ms as f64 / 1000.0 + 1.0),
    ]);
    a.extend(super::probe::guarded_input(src));
    let splits: String = (0..rungs.len()).map(|i| format!("[v{i}]")).collect();
    let mut graph = format!("[0:v:0]split={}{splits}", rungs.len());
    for (i, r) in rungs.iter().enumerate() {
        graph.push_str(&format!(
            // At most 4:1 wide (the probe refuses more), so a rung is never wider than 4× its height.
            ";[v{i}]scale=w={}:h={}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,format=yuv420p[o{i}]",
            r.height * 4,
            r.height
        ));
    }
    a.push("-filter_complex".into());
    a.push(graph);
    for (i, r) in rungs.iter().enumerate() {
        a.extend(["-map".into(), format!("[o{i}]")]);
        if has_audio {
            a.extend(["-map".into(), "0:a:0".into()]);
        }
        a.extend(
            [
                "-c:v",
                "libx264",
                "-preset",
                preset,
                "-profile:v",
                "high",
                "-level:v",
                "4.1",
                "-crf",
                "23",
                "-sc_threshold",
                "0",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        a.extend([
            "-maxrate".into(),
            format!("{}k", r.max_kbps),
            "-bufsize".into(),
            format!("{}k", r.max_kbps * 2),
            "-force_key_frames".into(),
            format!("expr:gte(t,n_forced*{GOP_SECONDS})"),
        ]);
        if has_audio {
            a.extend([
                "-c:a".into(),
                "aac".into(),
                "-b:a".into(),
                format!("{}k", r.audio_kbps),
                "-ac".into(),
                "2".into(),
            ]);
        }
        a.extend(["-movflags".into(), "+faststart".into()]);
        a.push(
            out_dir
                .join(format!("{}.mp4", r.name))
                .display()
                .to_string(),
        );
    }
    a
}

/// The HLS master playlist for the rungs that were made.
pub fn master_playlist(rungs: &[RenditionRow], has_audio: bool) -> String {
    let mut s = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    let codecs = if has_audio {
        "avc1.640029,mp4a.40.2"
    } else {
        "avc1.640029"
    };
    for r in rungs {
        s.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={},AVERAGE-BANDWIDTH={},RESOLUTION={}x{},CODECS=\"{codecs}\"\n{}/index.m3u8\n",
            r.bitrate * 13 / 10,
            r.bitrate,
            r.width,
            r.height,
            r.name
        ));
    }
    s
}

/// Thumbnail strip layout: one tile every `interval` seconds, at most 60 tiles.
pub fn thumbs_layout(duration_ms: i64) -> (i64, i64) {
    let count = (duration_ms / 10_000).clamp(1, 60);
    let interval = (duration_ms / count).max(1);
    (count, interval)
}

async fn run_ffmpeg(
    ffmpeg: &str,
    args: &[String],
    pid_file: &Path,
    duration_ms: i64,
    mut on_progress: impl FnMut(i64),
    cancelled: &AtomicBool,
) -> Result<(), Failure> {
    let mut child = tokio::process::Command::new(ffmpeg)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| Failure::retry(format!("cannot start ffmpeg: {e}")))?;
    if let Some(pid) = child.id() {
        let _ = tokio::fs::write(pid_file, pid.to_string()).await;
    }
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let err_task = tokio::spawn(async move {
        let mut text = String::new();
        if let Some(e) = stderr {
            let mut lines = tokio::io::BufReader::new(e).lines();
            while let Ok(Some(l)) = lines.next_line().await {
                if text.len() < 8000 {
                    text.push_str(&l);
                    text.push('\n');
                }
            }
        }
        text
    });
    if let Some(o) = stdout {
        let mut lines = tokio::io::BufReader::new(o).lines();
        while let Ok(Some(l)) = lines.next_line().await {
            if cancelled.load(Ordering::SeqCst) {
                let _ = child.kill().await;
                return Err(Failure::retry("the job was cancelled or its lease lost"));
            }
            if let Some(v) = l
                .strip_prefix("out_time_us=")
                .or_else(|| l.strip_prefix("out_time_ms="))
                && let Ok(us) = v.trim().parse::<i64>()
                && duration_ms > 0
            {
                on_progress((us / 1000 * 100 / duration_ms).clamp(0, 100));
            }
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| Failure::retry(e.to_string()))?;
    let _ = tokio::fs::remove_file(pid_file).await;
    let stderr = err_task.await.unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    if cancelled.load(Ordering::SeqCst) {
        return Err(Failure::retry("cancelled"));
    }
    let truncated = [
        "Invalid data found",
        "partial file",
        "Error while decoding",
        "corrupt",
        "moov atom not found",
        "Truncat",
    ]
    .iter()
    .any(|m| stderr.contains(m));
    if truncated {
        Err(Failure::permanent("truncated", stderr))
    } else {
        Err(Failure::retry(format!(
            "ffmpeg failed ({status}): {stderr}"
        )))
    }
}

/// Stops an ffmpeg left running by a worker that died (its pid is in the work folder).
async fn stop_orphan(pid_file: &Path) {
    if let Ok(pid) = tokio::fs::read_to_string(pid_file).await
        && let Ok(pid) = pid.trim().parse::<u32>()
    {
        let cmdline = tokio::fs::read(format!("/proc/{pid}/cmdline"))
            .await
            .unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("ffmpeg") {
            let _ = tokio::process::Command::new("kill")
                .arg("-9")
                .arg(pid.to_string())
                .status()
                .await;
        }
    }
}

/// Runs one transcoding job. `Ok` also when there is nothing to do (the video was deleted).
pub async fn run(state: &AppState, job: &Job, cx: &JobContext) -> Result<(), Failure> {
    let (worker, cancelled) = (cx.worker.as_str(), cx.cancelled.clone());
    let payload: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|e| Failure::permanent("processing_failed", e.to_string()))?;
    let video_id = VideoId(payload["video_id"].as_i64().unwrap_or(0));
    let Some(video) = db::select_by_id(&state.db, video_id)
        .await
        .map_err(|e| Failure::retry(e.to_string()))?
    else {
        return Ok(());
    };
    if video.status != Status::Processing {
        return Ok(());
    }
    let cfg = &state.config;
    let src = cfg.uploads_dir().join(&video.public_id);
    if !src.exists() {
        return Err(Failure::permanent(
            "processing_failed",
            "the uploaded file is gone",
        ));
    }
    let base = cfg.work_dir().join(&video.public_id);
    tokio::fs::create_dir_all(&base)
        .await
        .map_err(|e| Failure::retry(e.to_string()))?;
    let pid_file = base.join("ffmpeg.pid");
    stop_orphan(&pid_file).await;
    // A folder per attempt: an orphaned ffmpeg of an earlier attempt never writes into this one.
    let work: PathBuf = base.join(format!("attempt-{}", job.attempts));
    let _ = tokio::fs::remove_dir_all(&work).await;
    tokio::fs::create_dir_all(&work)
        .await
        .map_err(|e| Failure::retry(e.to_string()))?;

    let probe = super::probe::probe(
        &cfg.ffprobe,
        &src,
        &super::probe::Limits {
            max_seconds: cfg.video_max_seconds,
        },
    )
    .await
    .map_err(|m| match m {
        crate::error::Msg::Video(VideoMsg::Truncated) => Failure::permanent("truncated", "ffprobe"),
        crate::error::Msg::Video(VideoMsg::NoVideoStream) => {
            Failure::permanent("no_video_stream", "ffprobe")
        }
        crate::error::Msg::Internal => Failure::retry("ffprobe could not run"),
        _ => Failure::permanent("not_video", "ffprobe"),
    })?;
    let rungs = ladder_for(probe.height);

    // 1. Encode the ladder: 0–85 %.
    let st2 = state.clone();
    let mut last = (-1i64, std::time::Instant::now());
    let args = encode_args(
        &src,
        &work,
        &rungs,
        probe.has_audio,
        probe.duration_ms,
        &cfg.video_preset,
    );
    let progress = |p: i64| {
        let scaled = p * 85 / 100;
        if scaled != last.0 && last.1.elapsed().as_millis() >= 500 {
            last = (scaled, std::time::Instant::now());
            let st2 = st2.clone();
            tokio::spawn(async move {
                let _ = db::set_progress(&st2.db, video_id, scaled, now_ms()).await;
                super::changed(&st2, video_id).await;
            });
        }
    };
    run_ffmpeg(
        &cfg.ffmpeg,
        &args,
        &pid_file,
        probe.duration_ms,
        progress,
        &cancelled,
    )
    .await?;
    let _ = db::set_progress(&state.db, video_id, 85, now_ms()).await;
    super::changed(state, video_id).await;

    // 2. HLS per rung (remux), poster, thumbnail strip: 85–92 %.
    let mut renditions = Vec::new();
    for r in &rungs {
        let mp4 = work.join(format!("{}.mp4", r.name));
        let dir = work.join("hls").join(r.name);
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| Failure::retry(e.to_string()))?;
        let args: Vec<String> = vec![
            "-hide_banner".into(),
            "-nostdin".into(),
            "-y".into(),
            "-loglevel".into(),
            "error".into(),
            "-i".into(),
            mp4.display().to_string(),
            "-c".into(),
            "copy".into(),
            "-f".into(),
            "hls".into(),
            "-hls_time".into(),
            GOP_SECONDS.to_string(),
            "-hls_playlist_type".into(),
            "vod".into(),
            "-hls_flags".into(),
            "independent_segments".into(),
            "-hls_segment_filename".into(),
            dir.join("seg_%04d.ts").display().to_string(),
            dir.join("index.m3u8").display().to_string(),
        ];
        run_ffmpeg(&cfg.ffmpeg, &args, &pid_file, 0, |_| {}, &cancelled).await?;
        let meta = tokio::fs::metadata(&mp4)
            .await
            .map_err(|e| Failure::retry(e.to_string()))?;
        let (w, h) = output_size(&cfg.ffprobe, &mp4)
            .await
            .unwrap_or((0, r.height as i64));
        renditions.push(RenditionRow {
            name: r.name.to_string(),
            width: w,
            height: h,
            bitrate: (meta.len() as i64 * 8 * 1000 / probe.duration_ms.max(1)).max(1),
            mp4_bytes: meta.len() as i64,
        });
    }
    tokio::fs::write(
        work.join("hls/master.m3u8"),
        master_playlist(&renditions, probe.has_audio),
    )
    .await
    .map_err(|e| Failure::retry(e.to_string()))?;
    let at = (probe.duration_ms / 10).min(5_000) as f64 / 1000.0;
    let poster_args: Vec<String> = vec![
        "-hide_banner".into(),
        "-nostdin".into(),
        "-y".into(),
        "-loglevel".into(),
        "error".into(),
        "-ss".into(),
        format!("{at:.3}"),
    ]
    .into_iter()
    .chain(super::probe::guarded_input(&src))
    .chain([
        "-frames:v".into(),
        "1".into(),
        "-vf".into(),
        "scale='min(1280,iw)':-2".into(),
        "-q:v".into(),
        "3".into(),
        work.join("poster.jpg").display().to_string(),
    ])
    .collect();
    run_ffmpeg(&cfg.ffmpeg, &poster_args, &pid_file, 0, |_| {}, &cancelled).await?;
    let (count, interval) = thumbs_layout(probe.duration_ms);
    let smallest = work.join(format!("{}.mp4", rungs[0].name));
    let thumb_args: Vec<String> = vec![
        "-hide_banner".into(),
        "-nostdin".into(),
        "-y".into(),
        "-loglevel".into(),
        "error".into(),
        "-i".into(),
        smallest.display().to_string(),
        "-vf".into(),
        format!(
            "fps=1000/{interval},scale=160:90:force_original_aspect_ratio=decrease,pad=160:90:(ow-iw)/2:(oh-ih)/2,tile={count}x1"
        ),
        "-frames:v".into(),
        "1".into(),
        "-q:v".into(),
        "5".into(),
        work.join("thumbs.jpg").display().to_string(),
    ];
    run_ffmpeg(&cfg.ffmpeg, &thumb_args, &pid_file, 0, |_| {}, &cancelled).await?;
    let _ = db::set_progress(&state.db, video_id, 92, now_ms()).await;
    super::changed(state, video_id).await;

    // 3. Store everything under videos/{public_id}/: 92–99 %. Keys are the same on every attempt.
    let prefix = format!("videos/{}", video.public_id);
    let mut stored = 0i64;
    for file in walk(&work) {
        if cancelled.load(Ordering::SeqCst) {
            return Err(Failure::retry("cancelled"));
        }
        let rel = file
            .strip_prefix(&work)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        stored += state
            .storage
            .put_file(&format!("{prefix}/{rel}"), &file)
            .await
            .map_err(|e| Failure::retry(format!("storing {rel}: {e}")))? as i64;
    }
    let thumbs =
        serde_json::json!({"count": count, "interval_ms": interval, "width": 160, "height": 90})
            .to_string();
    let done = db::finish(
        &state.db,
        video_id,
        job.id,
        worker,
        db::Finished {
            renditions: &renditions,
            thumbs_json: &thumbs,
            storage_bytes: stored,
        },
        now_ms(),
    )
    .await
    .map_err(|e| Failure::retry(e.to_string()))?;
    let _ = tokio::fs::remove_dir_all(&base).await;
    super::changed(state, video_id).await;
    if done {
        let _ = tokio::fs::remove_file(&src).await;
        tracing::info!(video = %video.public_id, rungs = renditions.len(), bytes = stored, "video ready");
    }
    Ok(())
}

async fn output_size(ffprobe: &str, file: &Path) -> Option<(i64, i64)> {
    let out = tokio::process::Command::new(ffprobe)
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height",
            "-of",
            "csv=p=0",
        ])
        .arg(file)
        .output()
        .await
        .ok()?;
    let s = String::from_utf8_lossy(&out.stdout);
    let (w, h) = s.trim().split_once(',')?;
    Some((w.parse().ok()?, h.parse().ok()?))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Records a failed attempt on the video: failed for good when `final_`.
pub async fn on_failure(state: &AppState, job: &Job, failure: &Failure, final_: bool) {
    if !final_ {
        return;
    }
    let video_id = serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|v| v["video_id"].as_i64())
        .map_or(VideoId(0), VideoId);
    let _ = db::set_failed(&state.db, video_id, failure.code, now_ms()).await;
    super::changed(state, video_id).await;
    if let Ok(Some(v)) = db::select_by_id(&state.db, video_id).await {
        let _ = tokio::fs::remove_dir_all(state.config.work_dir().join(&v.public_id)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_never_upscales() {
        let names = |h| {
            ladder_for(h)
                .iter()
                .map(|r| (r.name, r.height))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(1080),
            vec![("360p", 360), ("720p", 720), ("1080p", 1080)]
        );
        assert_eq!(names(720), vec![("360p", 360), ("720p", 720)]);
        assert_eq!(names(480), vec![("360p", 360), ("720p", 480)]);
        assert_eq!(names(240), vec![("360p", 240)]);
        assert_eq!(
            names(2160),
            vec![("360p", 360), ("720p", 720), ("1080p", 1080)]
        );
    }

    #[test]
    fn one_pass_encodes_every_rung_with_aligned_keyframes() {
        let args = encode_args(
            Path::new("/in.mp4"),
            Path::new("/out"),
            &ladder_for(720),
            true,
            12_500,
            "veryfast",
        );
        let joined = args.join(" ");
        assert!(joined.contains("split=2[v0][v1]"));
        // Only the file protocol and real containers; no more than the probed duration.
        assert!(joined.starts_with(
            "-hide_banner -nostdin -y -loglevel error -progress pipe:1 -nostats -t 13.500 -protocol_whitelist file -format_whitelist mov,"
        ));
        assert!(joined.contains(" -i file:/in.mp4 "));
        assert!(joined.contains("scale=w=1440:h=360:force_original_aspect_ratio=decrease"));
        assert_eq!(
            joined
                .matches("-force_key_frames expr:gte(t,n_forced*4)")
                .count(),
            2
        );
        assert!(joined.ends_with("/out/720p.mp4"));
        assert_eq!(joined.matches("+faststart").count(), 2);
    }

    #[test]
    fn master_playlist_lists_each_rung() {
        let r = vec![RenditionRow {
            name: "360p".into(),
            width: 640,
            height: 360,
            bitrate: 800_000,
            mp4_bytes: 1,
        }];
        let m = master_playlist(&r, true);
        assert!(
            m.contains("RESOLUTION=640x360")
                && m.contains("360p/index.m3u8")
                && m.contains("mp4a.40.2")
        );
    }
}
