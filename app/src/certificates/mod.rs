//! Course completion certificates: issuing, the learner's list, public verification, revoking,
//! and the PDF.
//!
//! - **Issued** once per learner and course ([`service::issue_if_eligible`]) when the learner is
//!   enrolled, has completed every lesson and has passed the course's final exam; a course
//!   without a final exam issues none. Triggered after a passing exam submit and after a lesson
//!   completion that completes the course; concurrent triggers insert one row (`UNIQUE (user_id,
//!   course_id)` + `ON CONFLICT DO NOTHING`).
//! - A certificate **snapshots** the learner's name, the course title, the tutor's name and the
//!   best passing score when it is issued: it reads the same after the course is renamed or
//!   archived.
//! - Its **code** (`TUT-XXXX-XXXX-XXXX`, 12 random characters from an alphabet without 0/O/1/I)
//!   is its public identity: `/certificates/{code}` verifies it for anyone, and
//!   `/certificates/{code}.pdf` downloads the PDF (rendered by a `certificate_pdf` job, or on the
//!   spot if the job has not run yet).
//! - Only **admins revoke** a certificate, with a reason, once; a revoked certificate still
//!   verifies (as revoked) but its PDF answers 410 Gone.
//!
//! [`pdf`] (server only) renders a certificate as a one-page A4 landscape PDF: the learner's
//! name, the course, tutor, date, final exam score, the certificate's code and a QR code that
//! links to its public verification page. Fonts are embedded (subset) from `app/assets/fonts/`,
//! so the output does not depend on the fonts installed on the machine.

mod messages;
pub use messages::CertificateMsg;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// One of the signed-in learner's certificates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateItem {
    pub code: String,
    pub course_title: String,
    pub course_slug: String,
    /// Unix ms.
    pub issued_at: i64,
    pub score_percent: u32,
    pub revoked: bool,
    /// `/certificates/{code}.pdf`
    pub pdf_url: String,
}

/// A certificate as its public verification page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateView {
    pub code: String,
    pub learner_name: String,
    pub course_title: String,
    pub course_slug: String,
    pub tutor_name: String,
    /// Unix ms.
    pub issued_at: i64,
    pub score_percent: u32,
    /// When and why it was revoked; `None`: valid.
    pub revoked: Option<(i64, String)>,
    /// `/certificates/{code}.pdf`
    pub pdf_url: String,
    /// Whether the viewer may revoke it (an admin, and it is not revoked yet).
    pub can_revoke: bool,
}

/// The characters of a code: no 0/O/1/I, which read alike.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Whether `code` has the shape of a certificate code (`TUT-` and three groups of four).
pub fn code_well_formed(code: &str) -> bool {
    let Some(rest) = code.strip_prefix("TUT-") else {
        return false;
    };
    let groups: Vec<&str> = rest.split('-').collect();
    groups.len() == 3
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| CODE_ALPHABET.contains(&b)))
}

/// The PDF's address.
pub fn pdf_url(code: &str) -> String {
    format!("/certificates/{code}.pdf")
}

/// The longest revocation reason kept, in characters.
pub const REASON_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_for_shape_and_alphabet() {
        assert!(code_well_formed("TUT-7K4M-Q2XZ-9PLD"));
        assert!(!code_well_formed("TUT-7K4M-Q2XZ-9PL"));
        assert!(
            !code_well_formed("TUT-7K4M-Q2XZ-9PLO"),
            "O is not in the alphabet"
        );
        assert!(
            !code_well_formed("TUT-7K4M-Q2XZ-9PL1"),
            "1 is not in the alphabet"
        );
        assert!(!code_well_formed("XUT-7K4M-Q2XZ-9PLD"));
        assert!(!code_well_formed("TUT-7K4M-Q2XZ-9PLD-AAAA"));
    }
}
