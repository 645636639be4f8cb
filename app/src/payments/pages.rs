//! The sandbox checkout page.

use super::OrderStatus;
use super::api::{CancelOrder, SandboxPay, get_order};
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{FormError, Load, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let pay = ServerAction::<SandboxPay>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let order = Resource::new(
        move || (id(), cancel.version().get()),
        |(id, _)| get_order(id),
    );
    let value = pay.value();
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            let navigate = leptos_router::hooks::use_navigate();
            let sep = if path.contains('?') { '&' } else { '?' };
            navigate(&format!("{path}{sep}enrolled=1"), Default::default());
        }
    });
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Checkout", "Оплата").to_string()) description=Signal::derive(String::new) path="/checkout" noindex=true />
        <section class="page page--narrow">
            <h1>{tr!("Checkout", "Оплата")}</h1>
            <Load resource=order login=tr!("Log in to see your order.", "Войдите, чтобы увидеть заказ.") next="/" let:o>
                {
                    let amount = crate::money::format_money(o.amount_minor, &o.currency);
                    let oid = o.public_id.clone();
                    let cancel_id = o.public_id.clone();
                    let back = o.return_path.clone();
                    view! {
                        <div class="card">
                            <p>{o.title.clone()}</p>
                            <p class="checkout__amount">{amount}</p>
                            <p class="muted">{tr!(
                                "Sandbox payments: no money moves. Real payment providers plug in here.",
                                "Тестовая оплата: деньги не списываются. Здесь подключаются настоящие платёжные системы."
                            )}</p>
                            <FormError msg=crate::ui::form_error(value, &[]) />
                            {match o.status {
                                OrderStatus::Paid => view! {
                                    <a class="button" href=back>{tr!("Go to what you bought", "Перейти к покупке")}</a>
                                }.into_any(),
                                OrderStatus::Pending => view! {
                                    <button type="button" class="button button--wide" disabled=move || pay.pending().get()
                                        on:click=move |_| { pay.dispatch(SandboxPay { id: oid.clone() }); }>
                                        {tr!("Pay", "Оплатить")}
                                    </button>
                                    <button type="button" class="button button--ghost button--wide" disabled=move || cancel.pending().get()
                                        on:click=move |_| { cancel.dispatch(CancelOrder { id: cancel_id.clone() }); }>
                                        {tr!("Cancel the order", "Отменить заказ")}
                                    </button>
                                }.into_any(),
                                OrderStatus::Expired => view! {
                                    <p class="callout" role="status">{tr!(
                                        "This order waited too long for its payment and has expired.",
                                        "Этот заказ слишком долго ждал оплаты и истёк."
                                    )}</p>
                                    <a class="button" href=back>{tr!("Start again", "Начать заново")}</a>
                                }.into_any(),
                                _ => view! {
                                    <p class="callout" role="status">{tr!("This order was cancelled.", "Этот заказ отменён.")}</p>
                                    <a class="button" href=back>{tr!("Start again", "Начать заново")}</a>
                                }.into_any(),
                            }}
                        </div>
                    }
                }
            </Load>
        </section>
    }
}
