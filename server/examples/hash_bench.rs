//! Password hashing throughput: `cargo run --release -p server --example hash_bench [N]`.
//! Hashes N passwords through the app's own hashing (argon2id, m=19 MiB, t=2, p=1, on the blocking
//! pool behind the per-core semaphore) with N concurrent tasks, and verifies as many.

use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(40);
    let start = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            tokio::spawn(app::accounts::password::hash(format!(
                "password number {i}"
            )))
        })
        .collect();
    let mut hashes = Vec::new();
    for t in tasks {
        hashes.push(t.await??);
    }
    let hash_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let tasks: Vec<_> = hashes
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            tokio::spawn(app::accounts::password::verify(
                format!("password number {i}"),
                Some(h),
            ))
        })
        .collect();
    for t in tasks {
        anyhow::ensure!(t.await??, "verification failed");
    }
    let verify_secs = start.elapsed().as_secs_f64();
    println!(
        "argon2id m=19456 t=2 p=1, {} cores: {n} hashes in {hash_secs:.2} s = {:.1} hashes/s; {n} verifications in {verify_secs:.2} s = {:.1} verifications/s",
        std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1),
        n as f64 / hash_secs,
        n as f64 / verify_secs
    );
    Ok(())
}
