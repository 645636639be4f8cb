//! A `tutorium serve` process of its own on the test app's database (a second server for the
//! bus, a server whose log a test reads), killed and reaped when dropped.

use super::TestApp;

pub struct ServerProcess {
    child: std::process::Child,
    pub addr: String,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Stops the process and returns what it logged (stdout and stderr).
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::fs::read_to_string(&self.log).unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tutorium serve` on a free port with the app's database and a data folder of its
/// own (`PUBLIC_URL` its own address), `env` on top (`SMTP_URL`, `RUST_LOG`, …; `SMTP_URL` is
/// removed unless given), and waits until it answers `/healthz`.
pub async fn server_process(app: &TestApp, env: &[(&str, String)]) -> ServerProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let out = std::fs::File::create(&log).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tutorium"));
    cmd.arg("serve")
        .env_remove("SMTP_URL")
        .env("DATABASE_URL", &app.database_url)
        .env("DATA_DIR", dir.path())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(out.try_clone().unwrap())
        .stderr(out);
    // Owned at once, so that it is killed and reaped on every path (Drop).
    let server = ServerProcess {
        child: cmd.spawn().expect("start a server process"),
        addr: format!("http://127.0.0.1:{port}"),
        log,
        _dir: dir,
    };
    for _ in 0..300 {
        if reqwest::get(format!("{}/healthz", server.addr))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server process did not start");
}
