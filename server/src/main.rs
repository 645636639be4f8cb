//! `tutorium`: the server binary and its command line.
//!
//! ```text
//! tutorium                          serve the platform (same as `tutorium serve`)
//! tutorium migrate                  run database migrations and exit
//! tutorium worker                   run only the job worker (video, mail, notifications, PDFs)
//! tutorium demo [--if-empty]        fill the platform with demo tutors, students and follows
//! tutorium seed --users N --posts M a generated graph for benchmarks
//! tutorium user grant EMAIL ROLE    give a role (student, tutor, moderator, admin)
//! tutorium user revoke EMAIL ROLE   take a role away
//! ```

use anyhow::Context;

/// mimalloc instead of glibc's malloc: rendering a page makes many small allocations on every
/// worker thread, and glibc's arenas spent about a third of a page's CPU on them
/// (`scripts/profile-ssr.sh`, issue 13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use app::accounts::Role;
use app::server::config::Config;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "tutorium", version, about = "Tutorium learning platform")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Run only the job worker (every lane: video, mail, notifications, certificate PDFs), e.g. in another process.
    Worker,
    /// Fill the platform with demo tutors, students and follows.
    Demo {
        /// Do nothing when the platform already has accounts.
        #[arg(long)]
        if_empty: bool,
        /// Add them even though PUBLIC_URL is not a local address (a public demo site). Demo
        /// accounts share a published password and one is a moderator.
        #[arg(long)]
        public_site: bool,
    },
    /// Fill the database with a realistic generated graph for benchmarks.
    Seed {
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 10000)]
        posts: usize,
        /// Courses to add (published, some drafts), with sections, lessons and enrollments.
        #[arg(long, default_value_t = 0)]
        courses: usize,
        /// Lessons per course, on average.
        #[arg(long, default_value_t = 10)]
        lessons: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Add a final exam with enrolled, signed-in learners to the first published course (for
    /// `scripts/bench-quizzes.sh`); writes the quiz id and the session tokens to `out`.
    SeedExam {
        #[arg(long, default_value_t = 1000)]
        learners: usize,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Give a role: student, tutor, moderator or admin.
    Grant { email: String, role: String },
    /// Take a role away.
    Revoke { email: String, role: String },
}

fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        fmt().with_env_filter(filter).json().init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = dotenvy::dotenv();
    init_tracing();
    let cli = Cli::parse();
    let options = server::leptos_options(None)?;
    let addr = options.site_addr;
    let started = std::time::Instant::now();
    let state = server::build_state(cli.config, options).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr} (is another server running?)"))?;
            tracing::info!(
                "Tutorium is ready at http://{} ({} ms; database: {:?})",
                listener.local_addr()?,
                started.elapsed().as_millis(),
                state.db.backend()
            );
            server::serve(state.clone(), listener).await?;
        }
        Command::Worker => {
            tracing::info!("worker ready (database: {:?})", state.db.backend());
            // The worker publishes live events (a video's progress) for the servers' streams.
            state.bus.start(&state.db, &state.config.database_url);
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = stop.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            app::server::worker::run(state.clone(), stop).await;
        }
        Command::Seed {
            users,
            posts,
            courses,
            lessons,
            seed,
        } => {
            server::seed::run(&state, users, posts, courses, lessons, seed).await?;
        }
        Command::SeedExam { learners, out } => {
            server::seed::exam(&state, learners, &out).await?;
        }
        Command::Migrate => {
            tracing::info!("migrations are up to date");
        }
        Command::Demo {
            if_empty,
            public_site,
        } => {
            if !public_site && !server::demo::is_local(&state.config.public_url) {
                anyhow::bail!(
                    "PUBLIC_URL is {}, not a local address. Demo accounts share a published \
                     password and one of them is a moderator, so `tutorium demo` adds them only to \
                     a local site; pass --public-site to add them to a public demo site anyway.",
                    state.config.public_url
                );
            }
            let made = server::demo::fill(&state, if_empty).await?;
            if made {
                println!("{}", server::demo::SUMMARY);
            } else {
                println!("The platform already has accounts; demo data not added.");
            }
        }
        Command::User { action } => {
            let (email, role, grant) = match action {
                UserAction::Grant { email, role } => (email, role, true),
                UserAction::Revoke { email, role } => (email, role, false),
            };
            let role = Role::from_code(&role.to_lowercase()).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown role {role}: use student, tutor, moderator, support or admin"
                )
            })?;
            if grant {
                app::accounts::service::grant_role(&state, &email, role).await?;
                println!("{email} is now {}", role.code());
            } else {
                app::accounts::service::revoke_role(&state, &email, role).await?;
                println!("{email} is no longer {}", role.code());
            }
        }
    }
    // A running server drops the pages it rendered before this command's writes.
    state.bus.announce_change_now(&state.db).await;
    state.db.close().await;
    Ok(())
}
