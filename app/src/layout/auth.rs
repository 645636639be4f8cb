//! The signed-in user, shared by the whole app, and the actions that change who is signed in.

use crate::accounts::CurrentUser;
use crate::accounts::api::{LogOut, get_me};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub logout: ServerAction<LogOut>,
    /// Bumped (`refetch`) when something changes who is signed in or what the header shows
    /// (name, avatar); the actions of `auth_action` bump it when they succeed.
    refresh: RwSignal<u32>,
    /// Moves whenever `user` is fetched again: a source for resources that follow the user
    /// without reading `user` itself outside a Suspense (which would not wait for it when
    /// hydrating).
    pub generation: Signal<usize>,
}

pub fn provide_auth() -> Auth {
    let logout = ServerAction::<LogOut>::new();
    let refresh = RwSignal::new(0u32);
    let generation = Signal::derive(move || logout.version().get() + refresh.get() as usize);
    let user = Resource::new(move || generation.get(), |_| get_me());
    let auth = Auth {
        user,
        generation,
        logout,
        refresh,
    };
    provide_context(auth);
    auth
}

/// A server action that changes who is signed in or what the header shows of them (log in, its
/// code step, sign up, confirm, password reset, two-factor, a profile save): when it succeeds,
/// the signed-in user is fetched again. The page
/// that uses it creates it, so its client code loads with that page instead of with every page;
/// create it outside anything that re-renders when the user changes (a form inside such a
/// Transition would get a new action, and lose its answer, when the user is fetched again).
pub fn auth_action<S>() -> ServerAction<S>
where
    S: ServerFn + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    let auth = use_auth();
    Effect::new(move |seen: Option<usize>| {
        let done = action.version().get();
        let succeeded = action.value().with_untracked(|v| matches!(v, Some(Ok(_))));
        if seen.is_some_and(|s| s != done) && succeeded {
            auth.refetch();
        }
        done
    });
    action
}

impl Auth {
    /// Fetches the signed-in user again (and everything that follows `generation`).
    pub fn refetch(&self) {
        self.refresh.update(|n| *n += 1);
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// The signed-in user, `None` while loading or when signed out.
///
/// Any component may read it, inside a Suspense or not: every page renders whole on the server
/// (`SsrMode::Async`: the view is resolved, the header's Transition waiting for the user, before
/// its HTML is written), and the browser hydrates with the value the server serialised, so both
/// sides see the same user. It reads the resource's value itself (`AsyncDerived`), not through
/// the resource, whose debug builds warn about any read outside a Suspense while hydrating.
pub fn use_user() -> Signal<Option<CurrentUser>> {
    let auth = use_auth();
    Signal::derive(move || {
        let user: &AsyncDerived<_> = &auth.user;
        user.get().and_then(|r| r.ok()).flatten()
    })
}
