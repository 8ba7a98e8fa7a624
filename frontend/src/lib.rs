//! The browser entry point: hydrates the server-rendered page. Everything
//! else lives in `app`.

/// Called by the generated JavaScript once the wasm module is loaded.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::mark_hydrated();
}
