//! Checking an upload with ffprobe: from the bytes, never the name.

use crate::error::Msg;
use crate::video::VideoMsg;
use serde::Deserialize;
use std::path::Path;

/// What a valid upload holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub duration_ms: i64,
    pub width: i64,
    pub height: i64,
    pub has_audio: bool,
    pub fps: f64,
}

#[derive(Deserialize)]
struct Out {
    #[serde(default)]
    streams: Vec<Stream>,
    format: Option<Format>,
}

#[derive(Deserialize)]
struct Stream {
    codec_type: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
    avg_frame_rate: Option<String>,
    #[serde(default)]
    disposition: Disposition,
}

#[derive(Deserialize, Default)]
struct Disposition {
    #[serde(default)]
    attached_pic: i64,
}

#[derive(Deserialize)]
struct Format {
    duration: Option<String>,
    format_name: Option<String>,
}

/// The demuxers an upload may be read with: real video containers only. Playlists and scripts
/// that name other files or URLs (HLS, DASH, concat, image sequences, `tee`, …) are refused, as
/// is every protocol but `file`: a hostile upload cannot make ffmpeg read anything else.
pub const DEMUXERS: &str = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,ogg,asf,mxf";

/// How long ffprobe may take on one upload before it is judged unreadable.
pub const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The input options that restrict ffmpeg and ffprobe to [`DEMUXERS`] over the `file` protocol,
/// then `-i file:<path>` (`file:` so that a name can never be read as another protocol).
pub fn guarded_input(path: &Path) -> Vec<String> {
    [
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        DEMUXERS,
        "-i",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("file:{}", path.display())])
    .collect()
}

/// Limits an upload must meet.
pub struct Limits {
    pub max_seconds: u64,
}

/// Judges ffprobe's JSON output (and its error text when it failed).
pub fn judge(
    json: &str,
    stderr: &str,
    looks_like_mp4: bool,
    limits: &Limits,
) -> Result<Probe, Msg> {
    let out: Option<Out> = serde_json::from_str(json).ok();
    let truncated_hint = stderr.contains("moov atom not found")
        || stderr.contains("partial file")
        || stderr.contains("Truncat")
        || stderr.contains("End of file");
    let Some(out) = out.filter(|o| o.format.is_some() || !o.streams.is_empty()) else {
        return Err(if truncated_hint || looks_like_mp4 {
            Msg::Video(VideoMsg::Truncated)
        } else {
            Msg::Video(VideoMsg::NotVideo)
        });
    };
    let format_name = out
        .format
        .as_ref()
        .and_then(|f| f.format_name.clone())
        .unwrap_or_default();
    // Still images and image sequences probe as "video" with one frame.
    if format_name.contains("_pipe") || format_name == "image2" || format_name == "gif" {
        return Err(Msg::Video(VideoMsg::NotVideo));
    }
    let video = out
        .streams
        .iter()
        .find(|s| s.codec_type.as_deref() == Some("video") && s.disposition.attached_pic == 0);
    let has_audio = out
        .streams
        .iter()
        .any(|s| s.codec_type.as_deref() == Some("audio"));
    let Some(v) = video else {
        return Err(if has_audio {
            Msg::Video(VideoMsg::NoVideoStream)
        } else {
            Msg::Video(VideoMsg::NotVideo)
        });
    };
    let duration = out
        .format
        .as_ref()
        .and_then(|f| f.duration.as_deref())
        .and_then(|d| d.parse::<f64>().ok())
        .unwrap_or(0.0);
    if duration <= 0.0 {
        return Err(if truncated_hint {
            Msg::Video(VideoMsg::Truncated)
        } else {
            Msg::Video(VideoMsg::NotVideo)
        });
    }
    if duration > limits.max_seconds as f64 {
        return Err(Msg::Video(VideoMsg::TooLong {
            max_minutes: (limits.max_seconds / 60) as u32,
        }));
    }
    let (w, h) = (v.width.unwrap_or(0), v.height.unwrap_or(0));
    // Sides within 8K, and no more than 4:1 either way (a 7680×16 strip would scale to absurd
    // widths on the ladder).
    if !(16..=7680).contains(&w) || !(16..=4320).contains(&h) || w > 4 * h || h > 4 * w {
        return Err(Msg::Video(VideoMsg::Resolution));
    }
    let fps = v
        .avg_frame_rate
        .as_deref()
        .and_then(|r| r.split_once('/'))
        .and_then(|(a, b)| {
            Some(a.parse::<f64>().ok()? / b.parse::<f64>().ok().filter(|d| *d > 0.0)?)
        })
        .unwrap_or(25.0);
    Ok(Probe {
        duration_ms: (duration * 1000.0).round() as i64,
        width: w,
        height: h,
        has_audio,
        fps,
    })
}

/// Runs ffprobe on a file and judges it.
pub async fn probe(ffprobe: &str, file: &Path, limits: &Limits) -> Result<Probe, Msg> {
    let size = tokio::fs::metadata(file)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    if size == 0 {
        return Err(Msg::Video(VideoMsg::Empty));
    }
    let head = {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 12];
        match tokio::fs::File::open(file).await {
            Ok(mut f) => f
                .read(&mut buf)
                .await
                .map(|n| buf[..n].to_vec())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    };
    let looks_like_mp4 = head.len() >= 8 && &head[4..8] == b"ftyp";
    let run = tokio::process::Command::new(ffprobe)
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .args(guarded_input(file))
        .kill_on_drop(true)
        .output();
    // Dropping the future on timeout kills ffprobe (`kill_on_drop`).
    let out = match tokio::time::timeout(PROBE_TIMEOUT, run).await {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "running ffprobe failed (is ffmpeg installed?)");
            return Err(Msg::Internal);
        }
        Err(_) => {
            tracing::warn!(file = %file.display(), "ffprobe gave up on an upload (time limit)");
            return Err(Msg::Video(VideoMsg::NotVideo));
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    judge(&stdout, &stderr, looks_like_mp4, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits { max_seconds: 3600 };

    #[test]
    fn a_video_with_sound_passes() {
        let j = r#"{"streams":[{"codec_type":"video","width":1280,"height":720,"avg_frame_rate":"30/1"},{"codec_type":"audio"}],
                    "format":{"duration":"12.500000","format_name":"mov,mp4,m4a,3gp,3g2,mj2"}}"#;
        let p = judge(j, "", true, &L).unwrap();
        assert_eq!(
            (p.duration_ms, p.width, p.height, p.has_audio),
            (12_500, 1280, 720, true)
        );
        assert_eq!(p.fps, 30.0);
    }

    #[test]
    fn sound_only_text_images_and_long_videos_are_refused() {
        let audio = r#"{"streams":[{"codec_type":"audio"}],"format":{"duration":"3.0","format_name":"mp3"}}"#;
        assert_eq!(
            judge(audio, "", false, &L),
            Err(Msg::Video(VideoMsg::NoVideoStream))
        );
        let cover = r#"{"streams":[{"codec_type":"audio"},{"codec_type":"video","width":500,"height":500,"disposition":{"attached_pic":1}}],"format":{"duration":"3.0","format_name":"mp3"}}"#;
        assert_eq!(
            judge(cover, "", false, &L),
            Err(Msg::Video(VideoMsg::NoVideoStream))
        );
        assert_eq!(
            judge("{}", "Invalid data found when processing input", false, &L),
            Err(Msg::Video(VideoMsg::NotVideo))
        );
        assert_eq!(
            judge("{}", "moov atom not found", true, &L),
            Err(Msg::Video(VideoMsg::Truncated))
        );
        let png = r#"{"streams":[{"codec_type":"video","width":10,"height":10}],"format":{"format_name":"png_pipe"}}"#;
        assert_eq!(
            judge(png, "", false, &L),
            Err(Msg::Video(VideoMsg::NotVideo))
        );
        let long = r#"{"streams":[{"codec_type":"video","width":640,"height":360}],"format":{"duration":"4000","format_name":"matroska,webm"}}"#;
        assert_eq!(
            judge(long, "", false, &L),
            Err(Msg::Video(VideoMsg::TooLong { max_minutes: 60 }))
        );
    }
}
