//! A progress bar on stderr for long kernel runs, fed by a shared counter.
//! Quiet when stderr is not a terminal or when asked.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub struct Progress {
    pub counter: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Draws `label` with `counter` against `total` until `finish`; with an
    /// unknown total (0), a spinner with the count.
    pub fn start(label: &'static str, total: u64, quiet: bool) -> Progress {
        let template = if total > 0 {
            "{elapsed_precise} {msg} [{bar:30}] {pos}/{len} ({eta} left)"
        } else {
            "{elapsed_precise} {spinner} {msg}: {pos} declarations"
        };
        Progress::draw(label, template, total, quiet)
    }

    /// A spinner with the elapsed time, for work that counts nothing.
    pub fn spinner(label: &'static str, quiet: bool) -> Progress {
        Progress::draw(label, "{elapsed_precise} {spinner} {msg}", 0, quiet)
    }

    fn draw(label: &'static str, template: &'static str, total: u64, quiet: bool) -> Progress {
        let counter = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let (counter, done) = (counter.clone(), done.clone());
            std::thread::spawn(move || {
                let bar = indicatif::ProgressBar::new(total);
                let style = indicatif::ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                bar.set_style(style);
                bar.set_message(label);
                while !done.load(Ordering::Relaxed) {
                    bar.set_position(counter.load(Ordering::Relaxed) as u64);
                    bar.tick();
                    std::thread::sleep(Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
        });
        Progress {
            counter,
            done,
            drawer,
        }
    }

    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}

/// The bar's length: the file's declaration count when cheaply known (an
/// `.ixe`), else 0 (a spinner).
pub fn declaration_estimate(input: &std::path::Path) -> u64 {
    ixon::info_file(input)
        .map(|i| i.declarations as u64)
        .unwrap_or(0)
}
