//! The signed-in user, shared by the whole app, and the actions that change who is signed in.

use crate::accounts::CurrentUser;
use crate::accounts::api::{
    ConfirmEmail, LogIn, LogInCode, LogOut, MfaEnable, MfaUnlock, ResetPassword, SignUp, get_me,
};
use crate::error::AppError;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub login: ServerAction<LogIn>,
    /// The code step of a log-in with two-factor authentication.
    pub login_code: ServerAction<LogInCode>,
    /// Turning two-factor on and unlocking staff tools change the roles that count.
    pub mfa_enable: ServerAction<MfaEnable>,
    pub mfa_unlock: ServerAction<MfaUnlock>,
    pub logout: ServerAction<LogOut>,
    pub signup: ServerAction<SignUp>,
    pub confirm: ServerAction<ConfirmEmail>,
    pub reset: ServerAction<ResetPassword>,
    /// Bumped when something the header shows changes (name, avatar).
    pub refresh: RwSignal<u32>,
    /// Moves whenever `user` is fetched again: a source for resources that follow the user
    /// without reading `user` itself outside a Suspense (which would not wait for it when
    /// hydrating).
    pub generation: Signal<usize>,
}

pub fn provide_auth() -> Auth {
    let login = ServerAction::<LogIn>::new();
    let login_code = ServerAction::<LogInCode>::new();
    let mfa_enable = ServerAction::<MfaEnable>::new();
    let mfa_unlock = ServerAction::<MfaUnlock>::new();
    let logout = ServerAction::<LogOut>::new();
    let signup = ServerAction::<SignUp>::new();
    let confirm = ServerAction::<ConfirmEmail>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let refresh = RwSignal::new(0u32);
    // Everything that can change who is signed in (or what the header shows of them).
    let generation = Signal::derive(move || {
        login.version().get()
            + login_code.version().get()
            + mfa_enable.version().get()
            + mfa_unlock.version().get()
            + logout.version().get()
            + signup.version().get()
            + confirm.version().get()
            + reset.version().get()
            + refresh.get() as usize
    });
    let user = Resource::new(move || generation.get(), |_| get_me());
    let auth = Auth {
        user,
        generation,
        login,
        login_code,
        mfa_enable,
        mfa_unlock,
        logout,
        signup,
        confirm,
        reset,
        refresh,
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// The signed-in user, `None` while loading or when signed out. Read it inside a Suspense or
/// Transition so server rendering waits for it.
pub fn use_user() -> Signal<Option<CurrentUser>> {
    let auth = use_auth();
    Signal::derive(move || auth.user.get().and_then(|r| r.ok()).flatten())
}
