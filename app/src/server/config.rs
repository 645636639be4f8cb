//! Configuration: environment variables with defaults, parsed once at start.
//! Every variable is listed in `.env.example`.

use std::path::PathBuf;

#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Database URL: `sqlite://PATH` (default, created if missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/tutorium.db"
    )]
    pub database_url: String,

    /// Folder for the embedded defaults: media, outbox.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Where uploaded media are stored (local storage). Defaults to DATA_DIR/media.
    #[arg(long, env = "MEDIA_DIR")]
    pub media_dir: Option<PathBuf>,

    /// The address people reach the site at; used for links in mail, canonical URLs and sitemaps.
    #[arg(long, env = "PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,

    /// SMTP server, e.g. `smtp://user:pass@mail.example.com:587?tls=required`. When unset, every
    /// mail is written to OUTBOX_DIR (and logged).
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The From: address of outgoing mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Tutorium <no-reply@tutorium.local>"
    )]
    pub mail_from: String,

    /// Folder mails are written to when SMTP_URL is unset. Defaults to DATA_DIR/outbox.
    #[arg(long, env = "OUTBOX_DIR")]
    pub outbox_dir: Option<PathBuf>,

    /// A session ends after this many days without use.
    #[arg(long, env = "SESSION_IDLE_DAYS", default_value_t = 14)]
    pub session_idle_days: i64,

    /// A session ends this many days after log-in, used or not.
    #[arg(long, env = "SESSION_ABSOLUTE_DAYS", default_value_t = 90)]
    pub session_absolute_days: i64,

    /// Take the client address from X-Forwarded-For (only behind proxies you control): the
    /// entry TRUSTED_PROXY_HOPS from the right, i.e. the address your outermost proxy saw.
    #[arg(long, env = "TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Live streams (the bell, a video's progress) one person may have open at once.
    #[arg(long, env = "LIMIT_STREAMS_PER_USER", default_value_t = 12)]
    pub limit_streams_per_user: u32,

    /// Live streams one client address may have open at once.
    #[arg(long, env = "LIMIT_STREAMS_PER_IP", default_value_t = 100)]
    pub limit_streams_per_ip: u32,

    /// How many proxies of yours stand in front of the server (each appends one
    /// X-Forwarded-For entry); entries left of them are the client's own and not trusted.
    #[arg(long, env = "TRUSTED_PROXY_HOPS", default_value_t = 1)]
    pub trusted_proxy_hops: usize,

    /// Failed log-ins per account from one address (an IPv6 /64) before each further attempt
    /// waits: 1 minute, then twice as long after every failure, at most an hour. Other
    /// addresses are not slowed down, so the owner is never locked out.
    #[arg(long, env = "LIMIT_LOGIN_PER_ACCOUNT", default_value_t = 5)]
    pub limit_login_per_account: i64,

    /// Failed log-ins allowed per IP address (an IPv6 /64) per 15 minutes.
    #[arg(long, env = "LIMIT_LOGIN_PER_IP", default_value_t = 30)]
    pub limit_login_per_ip: i64,

    /// Sign-ups allowed per IP address per hour.
    #[arg(long, env = "LIMIT_SIGNUP_PER_IP", default_value_t = 10)]
    pub limit_signup_per_ip: i64,

    /// Password-reset and confirmation-code mails allowed per account (and 4× that per IP) per hour.
    #[arg(long, env = "LIMIT_MAIL_PER_ACCOUNT", default_value_t = 5)]
    pub limit_mail_per_account: i64,

    /// Largest avatar upload, in bytes.
    #[arg(long, env = "AVATAR_MAX_BYTES", default_value_t = 5 * 1024 * 1024)]
    pub avatar_max_bytes: usize,

    /// Largest video upload, in bytes (default 2 GB).
    #[arg(long, env = "VIDEO_MAX_BYTES", default_value_t = 2 * 1024 * 1024 * 1024)]
    pub video_max_bytes: u64,

    /// What one person may keep in videos and lesson files, in MiB (default 10 GiB); uploads past
    /// it are refused with how much is used.
    #[arg(long, env = "STORAGE_QUOTA_MB", default_value_t = 10 * 1024)]
    pub storage_quota_mb: u64,

    /// Longest video, in seconds (default 3 hours).
    #[arg(long, env = "VIDEO_MAX_SECONDS", default_value_t = 3 * 3600)]
    pub video_max_seconds: u64,

    /// ffmpeg and ffprobe programs.
    #[arg(long, env = "FFMPEG", default_value = "ffmpeg")]
    pub ffmpeg: String,
    #[arg(long, env = "FFPROBE", default_value = "ffprobe")]
    pub ffprobe: String,

    /// x264 preset for transcoding (veryfast is the measured balance on 2 cores).
    #[arg(long, env = "VIDEO_PRESET", default_value = "veryfast")]
    pub video_preset: String,

    /// How long a page rendered for visitors (no session) may be served again, in milliseconds, as
    /// long as nothing was written meanwhile; 0 renders every request.
    #[arg(long, env = "PAGE_CACHE_MS", default_value_t = 5000)]
    pub page_cache_ms: u64,

    /// Run the job worker inside the server (default); set false when `tutorium worker` runs apart.
    #[arg(long, env = "WORKER_IN_SERVER", default_value_t = true, action = clap::ArgAction::Set)]
    pub worker_in_server: bool,

    /// A worker's lease on a job, in seconds: a job whose worker died is taken again after this.
    #[arg(long, env = "JOB_LEASE_SECONDS", default_value_t = 60)]
    pub job_lease_seconds: u64,

    /// The longest a video job may run, in seconds, before it is stopped and retried.
    #[arg(long, env = "VIDEO_JOB_TIMEOUT_SECONDS", default_value_t = 6 * 3600)]
    pub video_job_timeout_seconds: u64,

    /// The job lanes this process works on (comma-separated: media, messages, documents), e.g.
    /// `messages,documents` on the web servers and `media` on a transcoding machine.
    #[arg(long, env = "JOBS_LANES", default_value = "media,messages,documents")]
    pub jobs_lanes: String,

    /// Workers of the media lane (transcoding: one saturates two cores).
    #[arg(long, env = "JOBS_MEDIA_WORKERS", default_value_t = 1)]
    pub jobs_media_workers: u32,

    /// Workers of the messages lane (mail, notifications, order expiry).
    #[arg(long, env = "JOBS_MESSAGES_WORKERS", default_value_t = 2)]
    pub jobs_messages_workers: u32,

    /// Workers of the documents lane (certificate PDFs).
    #[arg(long, env = "JOBS_DOCUMENTS_WORKERS", default_value_t = 1)]
    pub jobs_documents_workers: u32,

    /// Turn on the sandbox payment provider: buyers "pay" with a button and no money moves. For
    /// demos and tests only (`scripts/run.sh` turns it on); every page then says payments are
    /// test payments. When off and no real provider is configured, paid items cannot be bought.
    #[arg(long, env = "PAYMENTS_SANDBOX", default_value_t = false)]
    pub payments_sandbox: bool,

    /// Minutes an unpaid order waits for its payment before it expires.
    #[arg(long, env = "ORDER_TTL_MINUTES", default_value_t = 60)]
    pub order_ttl_minutes: i64,

    /// Key for signing private media links (any long random string; the same on every instance).
    /// When unset, one is generated and kept in DATA_DIR/signing.key.
    #[arg(long, env = "MEDIA_SIGNING_KEY")]
    pub media_signing_key: Option<String>,

    /// Seconds to wait before mailing a digest of new notifications (gathers bursts into one mail).
    #[arg(long, env = "DIGEST_DELAY_SECONDS", default_value_t = 600)]
    pub digest_delay_seconds: u64,

    /// S3-compatible storage for media: the bucket. When unset, media stay in MEDIA_DIR.
    #[arg(long, env = "S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// S3 endpoint, e.g. http://127.0.0.1:9000 (empty for AWS).
    #[arg(long, env = "S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    #[arg(long, env = "S3_ACCESS_KEY_ID")]
    pub s3_access_key: Option<String>,
    #[arg(long, env = "S3_SECRET_ACCESS_KEY")]
    pub s3_secret_key: Option<String>,
}

impl Config {
    /// Configuration from the environment only (for tests and tools that do not parse a CLI).
    pub fn from_env() -> Self {
        use clap::{Args, FromArgMatches};
        let cmd = Config::augment_args(clap::Command::new("tutorium").no_binary_name(true));
        let matches = cmd.get_matches_from(Vec::<String>::new());
        Config::from_arg_matches(&matches).expect("configuration")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.media_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("media"))
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    /// Where uploads are kept while they arrive and until they are processed.
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// Scratch space of the transcoding jobs.
    pub fn work_dir(&self) -> PathBuf {
        self.data_dir.join("work")
    }

    /// How many workers a job lane runs in this process (0 for a lane not in JOBS_LANES).
    pub fn lane_workers(&self, lane: super::jobs::Lane) -> u32 {
        use super::jobs::Lane;
        if !self.jobs_lanes.split(',').any(|l| l.trim() == lane.code()) {
            return 0;
        }
        match lane {
            Lane::Media => self.jobs_media_workers,
            Lane::Messages => self.jobs_messages_workers,
            Lane::Documents => self.jobs_documents_workers,
        }
    }

    /// Whether the site is served over HTTPS: cookies then get `Secure` (the session cookie
    /// also the `__Host-` prefix) and responses HSTS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// PUBLIC_URL without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }
}
