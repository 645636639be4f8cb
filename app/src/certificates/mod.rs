//! Course completion certificates.
//!
//! [`pdf`] (server only) renders a certificate as a one-page A4 landscape PDF: the learner's
//! name, the course, tutor, date, final exam score, the certificate's code and a QR code that
//! links to its public verification page. Fonts are embedded (subset) from `app/assets/fonts/`,
//! so the output does not depend on the fonts installed on the machine.

#[cfg(feature = "ssr")]
pub mod pdf;
