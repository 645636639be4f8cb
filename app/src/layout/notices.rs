//! Site-wide notices shown above every page: a demo site (its sample accounts share a published
//! password) and test payments (the sandbox provider is on, no money moves).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What every page must say about this site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteNotices {
    /// The site holds accounts made by `tutorium demo`.
    pub demo: bool,
    /// Payments go to the sandbox provider.
    pub test_payments: bool,
}

/// The notices of this site. Anyone may call it.
#[server(endpoint = "site/notices")]
pub async fn get_site_notices() -> Result<SiteNotices, AppError> {
    let st = crate::server::state();
    Ok(SiteNotices {
        demo: crate::accounts::service::is_demo_site(&st).await?,
        test_payments: crate::payments::service::test_payments(&st),
    })
}

/// A strip above the header when the site is a demo or its payments are test payments; nothing
/// while it loads or if it cannot (the notice is an addition to the page, never in its way).
#[component]
pub fn SiteBanner() -> impl IntoView {
    let notices = Resource::new(|| (), |_| get_site_notices());
    view! {
        <crate::ui::Load resource=notices quiet=true let:n>
            {(n.demo || n.test_payments).then(|| view! {
                <aside class="site-banner" aria-label=crate::tr!("About this site", "Об этом сайте")>
                    <p>
                        {n.demo.then(|| crate::tr!(
                            "This is a demo site: its sample accounts share a published password, so keep nothing private here.",
                            "Это демонстрационный сайт: у его учебных аккаунтов общий опубликованный пароль, поэтому не храните здесь ничего личного."
                        ))}
                        {(n.demo && n.test_payments).then_some(" ")}
                        {n.test_payments.then(|| crate::tr!(
                            "Payments are test payments: no money moves.",
                            "Оплата тестовая: деньги не списываются."
                        ))}
                    </p>
                </aside>
            })}
        </crate::ui::Load>
    }
}
