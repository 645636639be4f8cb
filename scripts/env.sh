# Sourced by the scripts: where tools and build output live, and PATH for them.
# The build directory sits outside the checkout so a fresh clone on the same machine reuses it.
export TOOLS_DIR="${TUTORIUM_TOOLS_DIR:-$HOME/.cache/tutorium}"
export CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
# A git worktree gets a build directory of its own: cargo names the artifacts of the workspace's
# own crates by their path inside the checkout, so two checkouts sharing one directory would take
# each other's builds for fresh.
case "$(git rev-parse --git-dir 2>/dev/null)" in
  */worktrees/*) export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$TOOLS_DIR/target-$(basename "$(git rev-parse --show-toplevel)")}" ;;
  *) export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$TOOLS_DIR/target}" ;;
esac
export PATH="$CARGO_HOME_DIR/bin:$PWD/tools/node_modules/.bin:$PATH"
# cargo-leptos builds debug with this flag; plain cargo commands use it too so both share one set
# of compiled dependencies.
export RUSTFLAGS="${RUSTFLAGS:---cfg erase_components}"
mkdir -p "$TOOLS_DIR"
# Leptos reads this at compile time (the name of the JS/WASM bundle); every cargo command sets it
# so that cargo-leptos and plain cargo builds share compiled dependencies.
export LEPTOS_OUTPUT_NAME=tutorium
