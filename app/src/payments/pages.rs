//! The sandbox checkout page.

use super::api::{SandboxPay, get_order};
use crate::i18n::use_i18n;
use crate::layout::ErrorPanel;
use crate::tr;
use crate::ui::{FormError, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let order = Resource::new(id, get_order);
    let pay = ServerAction::<SandboxPay>::new();
    let value = pay.value();
    Effect::new(move |_| {
        if let Some(Ok(slug)) = value.get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&format!("/courses/{slug}?enrolled=1"), Default::default());
        }
    });
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Checkout", "Оплата").to_string()) description=Signal::derive(String::new) path="/checkout" noindex=true />
        <section class="page page--narrow">
            <h1>{tr!("Checkout", "Оплата")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => {
                            let amount = crate::profiles::format_money(o.amount_minor, &o.currency);
                            let oid = o.public_id.clone();
                            view! {
                                <div class="card">
                                    <p>{o.course_title.clone()}</p>
                                    <p class="checkout__amount">{amount}</p>
                                    <p class="muted">{tr!(
                                        "Sandbox payments: no money moves. Real payment providers plug in here.",
                                        "Тестовая оплата: деньги не списываются. Здесь подключаются настоящие платёжные системы."
                                    )}</p>
                                    <FormError msg=crate::ui::form_error(value, &[]) />
                                    {if o.status == "paid" {
                                        view! { <a class="button" href=format!("/courses/{}", o.course_slug)>{tr!("Go to the course", "Перейти к курсу")}</a> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" class="button button--wide" disabled=move || pay.pending().get()
                                                on:click=move |_| { pay.dispatch(SandboxPay { id: oid.clone() }); }>
                                                {tr!("Pay", "Оплатить")}
                                            </button>
                                        }.into_any()
                                    }}
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
