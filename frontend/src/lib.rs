//! The browser entry point: hydrates the server-rendered page and nothing else.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Waits for the lazy route chunks of the current URL, then hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
