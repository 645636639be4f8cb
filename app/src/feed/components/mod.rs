//! The feed's components: the like button, a post's card, the infinite list of posts, the
//! composer of a new post, and comment threads.

mod comments;
mod composer;
mod like;
mod list;
mod post;

pub use comments::CommentThread;
pub use composer::PostComposer;
pub use like::LikeButton;
pub use list::PostList;
pub use post::PostCardView;
