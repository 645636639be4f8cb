//! Video: resumable uploads, validation, transcoding, Range serving, access, the job queue and
//! its workers. Test media are made with `ffmpeg -f lavfi` (nothing binary in the repository).

use crate::both;
use crate::helpers::*;
use app::error::{AppError, Msg};
use app::video::VideoMsg;
use app::video::{Progress, Status, VideoSummary, VideoView};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

both!(
    a_video_uploads_resumably_then_is_transcoded_and_served,
    bad_files_are_refused_and_leave_nothing_behind,
    range_requests_follow_the_rules,
    private_videos_are_served_only_to_the_owner_and_signed_links,
    uploads_belong_to_their_owner,
    jobs_are_claimed_once_and_retried_after_a_lost_lease,
    captions_and_positions_are_kept,
    a_killed_worker_leaves_its_job_to_another_that_finishes_it,
    the_storage_suite_passes_on_the_local_folder,
);

#[test]
fn the_storage_suite_passes_on_s3() {
    crate::helpers::run(the_storage_suite_passes_on_s3_())
}

async fn the_storage_suite_passes_on_s3_() {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        eprintln!(
            "\n!!! TEST_S3_ENDPOINT is not set: the S3 half of the storage suite did NOT run (scripts/test.sh starts moto) !!!\n"
        );
        return;
    };
    let bucket = format!("t{}", uuid::Uuid::new_v4().simple());
    let res = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "creating bucket: {}",
        res.status()
    );
    let s = app::server::storage::Storage::s3(app::server::storage::S3Settings {
        endpoint: Some(&endpoint),
        bucket: &bucket,
        region: "us-east-1",
        access_key: Some("test"),
        secret_key: Some("test"),
        allow_http: true,
    })
    .unwrap();
    storage_suite(&s).await;
}

/// Test media, made once per run.
pub(crate) struct Media {
    pub(crate) clip: PathBuf,
    pub(crate) long: PathBuf,
    pub(crate) audio: PathBuf,
    pub(crate) truncated: PathBuf,
    pub(crate) text: PathBuf,
    /// An HLS playlist and a concat script that name the clip by its path on this machine: a
    /// hostile upload that would make ffmpeg read a local file.
    pub(crate) playlist: PathBuf,
    pub(crate) concat: PathBuf,
}

fn ffmpeg(args: &[&str]) {
    let st = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg is installed (scripts/setup.sh)");
    assert!(st.success(), "ffmpeg {args:?}");
}

pub(crate) fn media() -> &'static Media {
    static M: OnceLock<Media> = OnceLock::new();
    M.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tutorium-media-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = |n: &str| dir.join(n).display().to_string();
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=30:duration=4",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000:duration=4",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            &p("clip.mp4"),
        ]);
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=30:duration=20",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=330:sample_rate=48000:duration=20",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            &p("long.mp4"),
        ]);
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            "-c:a",
            "aac",
            &p("audio.m4a"),
        ]);
        let clip = std::fs::read(dir.join("clip.mp4")).unwrap();
        std::fs::write(dir.join("truncated.mp4"), &clip[..clip.len() / 2]).unwrap();
        std::fs::write(
            dir.join("text.mp4"),
            b"This is a text file pretending to be a video.\n".repeat(50),
        )
        .unwrap();
        let clip_path = dir.join("clip.mp4").display().to_string();
        std::fs::write(
            dir.join("playlist.mp4"),
            format!(
                "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4.0,\nfile:{clip_path}\n#EXT-X-ENDLIST\n"
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("concat.mp4"),
            format!("ffconcat version 1.0\nfile '{clip_path}'\n"),
        )
        .unwrap();
        Media {
            playlist: dir.join("playlist.mp4"),
            concat: dir.join("concat.mp4"),
            clip: dir.join("clip.mp4"),
            long: dir.join("long.mp4"),
            audio: dir.join("audio.m4a"),
            truncated: dir.join("truncated.mp4"),
            text: dir.join("text.mp4"),
        }
    })
}

async fn tutor(app: &TestApp) -> Client {
    let email = format!("tutor-{}@example.com", uuid::Uuid::new_v4().simple());
    confirmed_user(app, &email, "Video Tutor", "tutor").await
}

/// Creates an upload; returns its URL path.
pub(crate) async fn create(c: &Client, len: usize, name: &str) -> reqwest::Response {
    use base64::Engine;
    c.http
        .post(format!("{}/api/videos/uploads", c.base))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", len.to_string())
        .header(
            "upload-metadata",
            format!(
                "filename {}",
                base64::engine::general_purpose::STANDARD.encode(name)
            ),
        )
        .send()
        .await
        .unwrap()
}

async fn patch(c: &Client, url: &str, offset: usize, body: Vec<u8>) -> reqwest::Response {
    c.http
        .patch(format!("{}{url}", c.base))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn head_offset(c: &Client, url: &str) -> (u16, Option<usize>) {
    let r = c
        .http
        .head(format!("{}{url}", c.base))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    let off = r
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (r.status().as_u16(), off)
}

/// Uploads a whole file in one PATCH; returns the video id.
pub(crate) async fn upload_all(c: &Client, file: &Path) -> String {
    let bytes = std::fs::read(file).unwrap();
    let r = create(c, bytes.len(), "lesson.mp4").await;
    assert_eq!(r.status(), 201);
    let url = r.headers()["location"].to_str().unwrap().to_string();
    let r = patch(c, &url, 0, bytes).await;
    assert_eq!(r.status(), 204, "{:?}", r.text().await);
    url.rsplit('/').next().unwrap().to_string()
}

pub(crate) async fn wait_until_done(c: &Client, id: &str, secs: u64) -> Progress {
    for _ in 0..secs * 5 {
        let p: Progress = c.call("videos/progress", &[("id", id)]).await.unwrap();
        if matches!(p.status, Status::Ready | Status::Failed) {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("video {id} not processed in {secs} s");
}

pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

async fn a_video_uploads_resumably_then_is_transcoded_and_served(b: Backend) {
    let app = spawn_app(b).await;
    let c = tutor(&app).await;
    let bytes = std::fs::read(&media().clip).unwrap();
    let r = create(&c, bytes.len(), "Урок 1.mp4").await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["tus-resumable"], "1.0.0");
    let url = r.headers()["location"].to_str().unwrap().to_string();
    let id = url.rsplit('/').next().unwrap().to_string();

    // The connection drops in the middle of the first PATCH: what arrived is kept.
    let half = bytes.len() / 2;
    let first = bytes[..half].to_vec();
    let stream = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(first[..half / 2].to_vec()),
        Ok(first[half / 2..].to_vec()),
        Err(std::io::Error::other("connection dropped")),
    ]);
    let _ = c
        .http
        .patch(format!("{}{url}", c.base))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, offset) = head_offset(&c, &url).await;
    assert_eq!(status, 200);
    let offset = offset.unwrap();
    assert!(
        offset > 0 && offset <= half,
        "kept {offset} of {half} bytes sent"
    );
    // A PATCH at a stale offset is refused with the right offset.
    let r = patch(&c, &url, 0, bytes[..10].to_vec()).await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["upload-offset"], offset.to_string().as_str());
    // Resume from there.
    let r = patch(&c, &url, offset, bytes[offset..].to_vec()).await;
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["x-video-status"], "processing");
    let p = wait_until_done(&c, &id, 120).await;
    assert_eq!(p.status, Status::Ready, "{p:?}");

    let v: VideoView = c.call("videos/get", &[("id", &id)]).await.unwrap();
    assert_eq!(v.title, "Урок 1.mp4");
    assert_eq!((v.width, v.height), (1280, 720));
    assert!((3900..=4200).contains(&v.duration_ms), "{}", v.duration_ms);
    let names: Vec<_> = v
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.height))
        .collect();
    assert_eq!(names, vec![("360p", 360), ("720p", 720)]);
    assert!(v.hls_url.is_some() && v.poster_url.is_some() && v.thumbs.is_some());
    // Private by default: the owner's links are signed.
    assert!(v.sources[1].url.starts_with("/media/s/"));
    let master = c
        .get(v.hls_url.as_deref().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        master.contains("RESOLUTION=640x360")
            && master.contains("RESOLUTION=1280x720")
            && master.contains("720p/index.m3u8")
    );
    let hls_base = v
        .hls_url
        .as_deref()
        .unwrap()
        .trim_end_matches("master.m3u8")
        .to_string();
    let rung = c
        .get(&format!("{hls_base}720p/index.m3u8"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        rung.contains("#EXT-X-TARGETDURATION:4") && rung.contains("seg_0000.ts"),
        "{rung}"
    );
    let seg = c.get(&format!("{hls_base}720p/seg_0000.ts")).await;
    assert_eq!(seg.status(), 200);
    assert_eq!(seg.headers()["content-type"], "video/mp2t");
    let mp4 = c.get(&v.sources[1].url).await;
    assert_eq!(mp4.status(), 200);
    assert_eq!(mp4.headers()["content-type"], "video/mp4");
    assert_eq!(mp4.headers()["accept-ranges"], "bytes");
    assert!(mp4.headers().get("content-encoding").is_none());
    let body = mp4.bytes().await.unwrap();
    assert_eq!(&body[4..8], b"ftyp");
    // faststart: the index (moov) comes before the media data (mdat).
    let pos = |tag: &[u8]| body.windows(4).position(|w| w == tag).unwrap();
    assert!(pos(b"moov") < pos(b"mdat"));
    let poster = c.get(v.poster_url.as_deref().unwrap()).await;
    assert_eq!(poster.headers()["content-type"], "image/jpeg");
    // The upload and the scratch files are gone; the job is done; listed with its size.
    assert!(files_under(&app.state.config.uploads_dir()).is_empty());
    assert!(files_under(&app.state.config.work_dir()).is_empty());
    let list: Vec<VideoSummary> = c.call("videos/mine", &[]).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, Status::Ready);
    assert!(list[0].storage_bytes > 0);
    // Deleting removes every stored file.
    let r: Call<()> = c.call("videos/delete", &[("id", &id)]).await;
    r.unwrap();
    assert!(
        app.state
            .storage
            .list(&format!("videos/{id}"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(c.get(&v.sources[1].url).await.status(), 404);
    app.cleanup().await;
}

async fn bad_files_are_refused_and_leave_nothing_behind(b: Backend) {
    let app = spawn_app_with(b, |c| c.video_max_bytes = 2 * 1024 * 1024).await;
    let c = tutor(&app).await;
    let m = media();
    for (file, msg) in [
        (&m.text, Msg::Video(VideoMsg::NotVideo)),
        (&m.truncated, Msg::Video(VideoMsg::Truncated)),
        (&m.audio, Msg::Video(VideoMsg::NoVideoStream)),
        // Playlists and scripts naming other files are not videos (only real containers over
        // the file protocol are read).
        (&m.playlist, Msg::Video(VideoMsg::NotVideo)),
        (&m.concat, Msg::Video(VideoMsg::NotVideo)),
    ] {
        let bytes = std::fs::read(file).unwrap();
        let r = create(&c, bytes.len(), "x.mp4").await;
        assert_eq!(r.status(), 201);
        let url = r.headers()["location"].to_str().unwrap().to_string();
        let r = patch(&c, &url, 0, bytes).await;
        assert_eq!(r.status(), 422, "{file:?}");
        let e: AppError = r.json().await.unwrap();
        assert_eq!(e.msg(), msg, "{file:?}");
        assert_eq!(
            head_offset(&c, &url).await.0,
            404,
            "the refused upload is gone"
        );
    }
    assert_eq!(
        Msg::Video(VideoMsg::Truncated).text(app::i18n::Locale::En),
        "The file is truncated: it looks cut off. Upload the whole file again."
    );
    // Zero bytes and over the limit are refused before any byte is sent.
    let r = create(&c, 0, "empty.mp4").await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<AppError>().await.unwrap().msg(),
        Msg::Video(VideoMsg::Empty)
    );
    let r = create(&c, 3 * 1024 * 1024, "big.mp4").await;
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<AppError>().await.unwrap().msg(),
        Msg::Video(VideoMsg::TooBig { max_mb: 2 })
    );
    // A PATCH past the announced length is refused.
    let r = create(&c, 10, "small.mp4").await;
    let url = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(patch(&c, &url, 0, vec![0u8; 20]).await.status(), 413);
    let r: Call<()> = c
        .call("videos/delete", &[("id", url.rsplit('/').next().unwrap())])
        .await;
    r.unwrap();
    let (videos,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM videos")
        .fetch_one(app.db.r())
        .await
        .unwrap();
    let (jobs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'video.transcode'")
            .fetch_one(app.db.r())
            .await
            .unwrap();
    assert_eq!((videos, jobs), (0, 0));
    assert!(files_under(&app.state.config.uploads_dir()).is_empty());
    assert!(files_under(&app.media_dir).is_empty());
    app.cleanup().await;
}

async fn ready_video(app: &TestApp, c: &Client) -> (String, VideoView) {
    let id = upload_all(c, &media().clip).await;
    assert_eq!(wait_until_done(c, &id, 120).await.status, Status::Ready);
    let v: VideoView = c.call("videos/get", &[("id", &id)]).await.unwrap();
    let _ = app;
    (id, v)
}

async fn range_requests_follow_the_rules(b: Backend) {
    let app = spawn_app(b).await;
    let c = tutor(&app).await;
    let (id, v) = ready_video(&app, &c).await;
    let url = format!("{}{}", c.base, v.sources[0].url);
    let full = c.http.get(&url).send().await.unwrap();
    let etag = full.headers()["etag"].to_str().unwrap().to_string();
    let whole = full.bytes().await.unwrap();
    let n = whole.len();
    let get = |range: &str, extra: Option<(&str, String)>| {
        let mut r = c.http.get(&url).header("range", range.to_string());
        if let Some((k, v)) = extra {
            r = r.header(k, v);
        }
        r.send()
    };
    let r = get("bytes=0-99", None).await.unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 0-99/{n}").as_str()
    );
    assert_eq!(r.headers()["content-length"], "100");
    assert_eq!(r.bytes().await.unwrap(), whole[..100]);
    let r = get(&format!("bytes={}-", n - 10), None).await.unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.unwrap(), whole[n - 10..]);
    let r = get("bytes=-500", None).await.unwrap();
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes {}-{}/{n}", n - 500, n - 1).as_str()
    );
    assert_eq!(r.bytes().await.unwrap(), whole[n - 500..]);
    let r = get("bytes=1000-1999", None).await.unwrap();
    assert_eq!(r.bytes().await.unwrap(), whole[1000..2000]);
    let r = get(&format!("bytes={n}-"), None).await.unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{n}").as_str()
    );
    let r = get("bytes=50-10", None).await.unwrap();
    assert_eq!(r.status(), 416);
    // The largest end a client can write means "to the end" (it used to overflow).
    let r = get("bytes=0-18446744073709551615", None).await.unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 0-{}/{n}", n - 1).as_str()
    );
    assert_eq!(r.bytes().await.unwrap(), whole[..]);
    // If-Range: the current ETag keeps the range; a stale one gets the whole file.
    let r = get("bytes=0-9", Some(("if-range", etag.clone())))
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    let r = get("bytes=0-9", Some(("if-range", "\"stale\"".into())))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().len(), n);
    let r = c
        .http
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let r = c.http.head(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-length"], n.to_string().as_str());
    let _ = id;
    app.cleanup().await;
}

async fn private_videos_are_served_only_to_the_owner_and_signed_links(b: Backend) {
    let app = spawn_app(b).await;
    let owner = tutor(&app).await;
    let (id, v) = ready_video(&app, &owner).await;
    let plain = format!("/media/videos/{id}/720p.mp4");
    let signed = v.sources[1].url.clone();
    let stranger = tutor(&app).await;
    let anon = app.client();
    assert_eq!(owner.get(&plain).await.status(), 200, "the owner");
    assert_eq!(stranger.get(&plain).await.status(), 403, "a stranger");
    assert_eq!(anon.get(&plain).await.status(), 403, "an anonymous visitor");
    assert_eq!(
        anon.get(&signed).await.status(),
        200,
        "anyone holding a signed link"
    );
    let tampered = signed.replacen("/media/s/", "/media/s/9", 1);
    assert_eq!(anon.get(&tampered).await.status(), 403);
    let expired = format!(
        "/media/s/{}/videos/{id}/720p.mp4",
        app.state.signer.token(&format!("videos/{id}"), 1000)
    );
    assert_eq!(anon.get(&expired).await.status(), 403);
    let other_video = format!(
        "/media/s/{}/videos/{id}x/720p.mp4",
        app.state
            .signer
            .token(&format!("videos/{id}"), i64::MAX / 2)
    );
    assert!(matches!(
        anon.get(&other_video).await.status().as_u16(),
        403 | 404
    ));
    let e = anon
        .call::<VideoView>("videos/get", &[("id", &id)])
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    // Made public, it is served to everyone with long-lived caching.
    let r: Call<()> = owner
        .call("videos/visibility", &[("id", &id), ("public", "true")])
        .await;
    r.unwrap();
    let r = anon.get(&plain).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let page = anon
        .get(&format!("/videos/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#""@type":"VideoObject""#) && page.contains("<video"));

    // Posted while public, then made private (e.g. kept for a lesson): the post no longer hands
    // anyone but its owner a link — not in the card, not in the page's schema.org data.
    let post: i64 = owner
        .call(
            "feed/create",
            &[("body", "Урок в видео"), ("tags", ""), ("video", &id)],
        )
        .await
        .unwrap();
    let html = post_page(&anon, post).await;
    assert!(
        html.contains(&format!("/media/videos/{id}/")),
        "public: linked"
    );
    let r: Call<()> = owner
        .call("videos/visibility", &[("id", &id), ("public", "false")])
        .await;
    r.unwrap();
    for (who, c) in [("anonymous", &anon), ("a stranger", &stranger)] {
        let html = post_page(c, post).await;
        assert!(!html.contains("/media/s/"), "{who}: no signed link");
        assert!(
            !html.contains(&format!("/media/videos/{id}")),
            "{who}: no link"
        );
        assert!(!html.contains(r#""@type":"VideoObject""#), "{who}");
        assert!(
            html.contains("This video is not available.") || html.contains("Это видео недоступно."),
            "{who}"
        );
        let page: app::feed::FeedPage = c
            .call("feed/list", &[("tab", "popular"), ("cursor", "")])
            .await
            .unwrap();
        let card = page.items.iter().find(|p| p.id == post).expect("listed");
        let v = card.video.as_ref().unwrap();
        assert!(v.view.is_none() && v.unavailable, "{who}");
    }
    let html = post_page(&owner, post).await;
    assert!(html.contains("/media/s/"), "the owner still watches it");
    app.cleanup().await;
}

async fn post_page(c: &Client, post: i64) -> String {
    c.get(&format!("/posts/{post}")).await.text().await.unwrap()
}

async fn uploads_belong_to_their_owner(b: Backend) {
    let app = spawn_app(b).await;
    let owner = tutor(&app).await;
    let r = create(&owner, 100, "a.mp4").await;
    let url = r.headers()["location"].to_str().unwrap().to_string();
    let id = url.rsplit('/').next().unwrap().to_string();
    let other = tutor(&app).await;
    assert_eq!(head_offset(&other, &url).await.0, 404);
    assert_eq!(patch(&other, &url, 0, vec![1, 2, 3]).await.status(), 404);
    let r = other
        .http
        .delete(format!("{}{url}", other.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        other
            .call::<()>("videos/delete", &[("id", &id)])
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        other
            .call::<()>("videos/retry", &[("id", &id)])
            .await
            .unwrap_err()
            .0,
        404
    );
    assert_eq!(
        other
            .call::<()>("videos/visibility", &[("id", &id), ("public", "true")])
            .await
            .unwrap_err()
            .0,
        404
    );
    let student = confirmed_user(
        &app,
        &format!("s-{}@example.com", uuid::Uuid::new_v4().simple()),
        "Student",
        "student",
    )
    .await;
    assert_eq!(create(&student, 100, "a.mp4").await.status(), 403);
    let anon = app.client();
    assert_eq!(create(&anon, 100, "a.mp4").await.status(), 401);
    assert_eq!(
        anon.call::<Vec<VideoSummary>>("videos/mine", &[])
            .await
            .unwrap_err()
            .0,
        401
    );
    assert_eq!(head_offset(&owner, &url).await, (200, Some(0)));
    app.cleanup().await;
}

/// A job kind that no handler is registered for: only claimed by hand here.
const NOOP: app::server::jobs::JobKind = app::server::jobs::JobKind {
    name: "test.noop",
    lane: app::server::jobs::Lane::Media,
    max_attempts: 3,
    scrub_payload: false,
};

async fn jobs_are_claimed_once_and_retried_after_a_lost_lease(b: Backend) {
    use app::server::jobs::{self, Lane::Media};
    let app = spawn_app_with(b, |c| c.worker_in_server = false).await;
    let db = app.db.clone();
    for i in 0..30 {
        jobs::enqueue(
            &db,
            &NOOP,
            &serde_json::json!({ "i": i }),
            Some(&format!("test:{i}")),
        )
        .await
        .unwrap();
    }
    // Six workers claim at once until the queue is empty: every job exactly once.
    let mut tasks = Vec::new();
    for w in 0..6 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(j) = jobs::claim(&db, &format!("w{w}"), 60_000, Media)
                .await
                .unwrap()
            {
                got.push(j.id);
            }
            got
        }));
    }
    let mut all: Vec<i64> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!((n, all.len()), (30, 30));
    // A lease that runs out makes the job claimable by another worker; the first can no longer
    // finish it.
    let id = jobs::enqueue(&db, &NOOP, &serde_json::json!({}), Some("test:lease"))
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET status = 'done' WHERE id <> $1")
        .bind(id)
        .execute(db.w())
        .await
        .unwrap();
    let j = jobs::claim(&db, "first", 50, Media).await.unwrap().unwrap();
    assert_eq!((j.id, j.attempts), (id, 1));
    assert!(
        jobs::claim(&db, "second", 50, Media)
            .await
            .unwrap()
            .is_none(),
        "held under lease"
    );
    tokio::time::sleep(Duration::from_millis(120)).await;
    let j2 = jobs::claim(&db, "second", 60_000, Media)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((j2.id, j2.attempts), (id, 2));
    assert!(!jobs::heartbeat(&db, id, "first", 1000).await.unwrap());
    assert!(!jobs::complete(&db, id, "first", false).await.unwrap());
    // A failure is retried after a backoff, then fails for good.
    assert!(!jobs::fail(&db, &j2, "second", "boom", false).await.unwrap());
    assert!(
        jobs::claim(&db, "third", 1000, Media)
            .await
            .unwrap()
            .is_none(),
        "waiting for its backoff"
    );
    sqlx::query("UPDATE jobs SET run_at = 0 WHERE id = $1")
        .bind(id)
        .execute(db.w())
        .await
        .unwrap();
    let j3 = jobs::claim(&db, "third", 1000, Media)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(j3.attempts, 3);
    assert!(
        jobs::fail(&db, &j3, "third", "boom again", false)
            .await
            .unwrap(),
        "out of attempts"
    );
    let rows = jobs::list_for(&db, "test:lease").await.unwrap();
    assert_eq!(rows[0].status, "failed");
    assert_eq!(rows[0].last_error.as_deref(), Some("boom again"));
    app.cleanup().await;
}

async fn captions_and_positions_are_kept(b: Backend) {
    let app = spawn_app(b).await;
    let c = tutor(&app).await;
    let (id, _) = ready_video(&app, &c).await;
    let send = |lang: &str, body: &[u8]| {
        let form = reqwest::multipart::Form::new()
            .text("lang", lang.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(body.to_vec()).file_name("c.vtt"),
            );
        c.http
            .post(format!("{}/api/videos/{id}/captions", c.base))
            .multipart(form)
            .send()
    };
    let vtt = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n";
    assert_eq!(send("en", vtt).await.unwrap().status(), 204);
    let r = send("en", b"not captions").await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<AppError>().await.unwrap().msg(),
        Msg::Video(VideoMsg::CaptionsInvalid)
    );
    assert_eq!(send("xx", vtt).await.unwrap().status(), 422);
    let v: VideoView = c.call("videos/get", &[("id", &id)]).await.unwrap();
    assert_eq!(v.captions.len(), 1);
    assert_eq!(v.captions[0].label, "English");
    let track = c.get(&v.captions[0].url).await;
    assert_eq!(track.headers()["content-type"], "text/vtt; charset=utf-8");
    assert!(track.text().await.unwrap().starts_with("WEBVTT"));
    let r: Call<()> = c
        .call("videos/position", &[("id", &id), ("position_ms", "2500")])
        .await;
    r.unwrap();
    let v: VideoView = c.call("videos/get", &[("id", &id)]).await.unwrap();
    assert_eq!(v.start_ms, 2500);
    let anon = app.client();
    assert_eq!(
        anon.call::<()>("videos/position", &[("id", &id), ("position_ms", "1")])
            .await
            .unwrap_err()
            .0,
        401
    );
    let r: Call<()> = c
        .call("videos/captions-delete", &[("id", &id), ("lang", "en")])
        .await;
    r.unwrap();
    let v: VideoView = c.call("videos/get", &[("id", &id)]).await.unwrap();
    assert!(v.captions.is_empty());
    app.cleanup().await;
}

async fn a_killed_worker_leaves_its_job_to_another_that_finishes_it(b: Backend) {
    // The server works on mail and documents; transcoding is left to the worker processes.
    let app = spawn_app_with(b, |c| {
        c.jobs_lanes = "messages,documents".into();
        c.job_lease_seconds = 2;
    })
    .await;
    let c = tutor(&app).await;
    let id = upload_all(&c, &media().long).await;
    let cfg = app.state.config.clone();
    let worker = |slow: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tutorium"));
        cmd.arg("worker")
            .env("JOBS_LANES", "media")
            .env("DATABASE_URL", &cfg.database_url)
            .env("DATA_DIR", &cfg.data_dir)
            .env("MEDIA_DIR", cfg.media_dir())
            .env("JOB_LEASE_SECONDS", "2")
            .env("VIDEO_PRESET", if slow { "medium" } else { "veryfast" })
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd.spawn().expect("start a worker process")
    };
    let mut first = worker(true);
    // Kill it in the middle of the transcode.
    let mut seen = 0;
    for _ in 0..300 {
        let p: Progress = c.call("videos/progress", &[("id", &id)]).await.unwrap();
        seen = p.progress;
        if p.progress >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        (10..85).contains(&seen),
        "the first worker was transcoding ({seen}%)"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let mut second = worker(false);
    let p = wait_until_done(&c, &id, 240).await;
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(p.status, Status::Ready, "{p:?}");
    let video_row = app::video::db::select_by_public_id(&app.db, &id)
        .await
        .unwrap()
        .unwrap();
    let jobs = app::server::jobs::list_for(&app.db, &format!("video:{}", video_row.id))
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].status.as_str(), jobs[0].attempts), ("done", 2));
    let renditions = app::video::db::select_renditions(&app.db, video_row.id)
        .await
        .unwrap();
    assert_eq!(
        renditions
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["360p", "720p"]
    );
    let keys: Vec<String> = app
        .state
        .storage
        .list(&format!("videos/{id}"))
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let mp4s = keys.iter().filter(|k| k.ends_with(".mp4")).count();
    assert_eq!(mp4s, 2, "no duplicate renditions: {keys:?}");
    assert!(keys.iter().any(|k| k.ends_with("hls/master.m3u8")));
    app.cleanup().await;
}

async fn the_storage_suite_passes_on_the_local_folder(b: Backend) {
    let app = spawn_app(b).await;
    storage_suite(&app.state.storage).await;
    app.cleanup().await;
}

/// The same checks on any storage.
async fn storage_suite(s: &app::server::storage::Storage) {
    let p = format!("suite/{}", uuid::Uuid::new_v4().simple());
    s.put(&format!("{p}/a.txt"), b"hello world".to_vec())
        .await
        .unwrap();
    assert_eq!(
        &s.get(&format!("{p}/a.txt")).await.unwrap().unwrap().bytes[..],
        b"hello world"
    );
    assert_eq!(
        s.head(&format!("{p}/a.txt")).await.unwrap().unwrap().size,
        11
    );
    assert!(s.head(&format!("{p}/missing")).await.unwrap().is_none());
    let part =
        app::server::storage::collect(s.read_range(&format!("{p}/a.txt"), 6..11).await.unwrap())
            .await
            .unwrap();
    assert_eq!(part, b"world");
    // A file large enough to go up in parts.
    let big: Vec<u8> = (0..20 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let tmp = std::env::temp_dir().join(format!("big-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&tmp, &big).unwrap();
    assert_eq!(
        s.put_file(&format!("{p}/big.bin"), &tmp).await.unwrap(),
        big.len() as u64
    );
    let _ = std::fs::remove_file(&tmp);
    let mid = app::server::storage::collect(
        s.read_range(&format!("{p}/big.bin"), 9_000_000..9_000_100)
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(mid, big[9_000_000..9_000_100]);
    let keys: Vec<String> = s
        .list(&p)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, vec![format!("{p}/a.txt"), format!("{p}/big.bin")]);
    s.delete_prefix(&p).await.unwrap();
    assert!(s.list(&p).await.unwrap().is_empty());
}

#[test]
fn a_video_on_s3_storage_is_transcoded_and_served_with_ranges() {
    crate::helpers::run(a_video_on_s3_storage_is_transcoded_and_served_with_ranges_())
}

async fn a_video_on_s3_storage_is_transcoded_and_served_with_ranges_() {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        eprintln!(
            "\n!!! TEST_S3_ENDPOINT is not set: the video-on-S3 test did NOT run (scripts/test.sh starts moto) !!!\n"
        );
        return;
    };
    let bucket = format!("v{}", uuid::Uuid::new_v4().simple());
    assert!(
        reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.s3_bucket = Some(bucket.clone());
        c.s3_endpoint = Some(endpoint.clone());
        c.s3_access_key = Some("test".into());
        c.s3_secret_key = Some("test".into());
    })
    .await;
    assert_eq!(app.state.storage.kind(), "s3");
    let c = tutor(&app).await;
    let (id, v) = ready_video(&app, &c).await;
    let keys = app
        .state
        .storage
        .list(&format!("videos/{id}"))
        .await
        .unwrap();
    assert!(
        keys.iter().any(|(k, _)| k.ends_with("720p.mp4")),
        "{keys:?}"
    );
    assert!(
        files_under(&app.media_dir).is_empty(),
        "nothing on the local disk"
    );
    let url = format!("{}{}", c.base, v.sources[0].url);
    let whole = c
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let r = c
        .http
        .get(&url)
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.unwrap(), whole[100..200]);
    app.cleanup().await;
}
