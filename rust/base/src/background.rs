//! Freeing large values off the critical path.

/// Frees `value` on a thread of its own: a command that has its verdict need
/// not wait for a whole environment's terms to be freed; it prints and
/// exits. If no thread can be started, `value` is freed here.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("ix-free".into())
        .spawn(move || drop(value));
}
