//! Sending a file with a progress bar (XMLHttpRequest: `fetch` reports no upload progress).

#[cfg(feature = "hydrate")]
use crate::error::AppError;
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Posts `file` as the multipart field `field` to `url`. `progress` follows the bytes sent (0–100)
/// and goes back to `None` at the end; `done` gets the response body of a 2xx answer, or the
/// error the server sent (`Network` when it could not be reached).
#[cfg(feature = "hydrate")]
pub fn post_file(
    url: &str,
    field: &str,
    file: &web_sys::File,
    progress: RwSignal<Option<f64>>,
    done: Callback<Result<String, AppError>>,
) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let (Ok(xhr), Ok(form)) = (web_sys::XmlHttpRequest::new(), web_sys::FormData::new()) else {
        done.run(Err(AppError::Network));
        return;
    };
    let _ = form.append_with_blob_and_filename(field, file, &file.name());
    let _ = xhr.open("POST", url);
    let _ = xhr.set_request_header("Accept", "application/json");
    progress.set(Some(0.0));
    if let Ok(up) = xhr.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some((e.loaded() / e.total() * 100.0).min(100.0)));
                }
            });
        up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let xhr2 = xhr.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        let status = xhr2.status().unwrap_or(0);
        let body = xhr2.response_text().ok().flatten().unwrap_or_default();
        if (200..300).contains(&status) {
            done.run(Ok(body));
        } else {
            done.run(Err(
                serde_json::from_str::<AppError>(&body).unwrap_or(AppError::Internal)
            ));
        }
    });
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        done.run(Err(AppError::Network));
    });
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if xhr.send_with_opt_form_data(Some(&form)).is_err() {
        progress.set(None);
        done.run(Err(AppError::Network));
    }
}
