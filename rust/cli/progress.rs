//! A progress bar on stderr for long kernel runs, fed by a shared counter.
//! Quiet when stderr is not a terminal or when asked.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const BAR: &str = "{elapsed_precise} {msg} [{bar:30}] {pos}/{len} ({eta} left)";

pub struct Progress {
    pub counter: Arc<AtomicUsize>,
    /// The total, when the work learns it only once it starts (0 = unknown
    /// yet): the bar grows from a spinner into a bar then.
    pub total: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Draws `label` with `counter` against `total` until `finish`; with an
    /// unknown total (0), a spinner with the count.
    pub fn start(label: &'static str, total: u64, quiet: bool) -> Progress {
        let template = if total > 0 {
            BAR
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
        let known_total = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let (counter, known, done) = (counter.clone(), known_total.clone(), done.clone());
            std::thread::spawn(move || {
                let bar = indicatif::ProgressBar::new(total);
                let style = indicatif::ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                bar.set_style(style);
                bar.set_message(label);
                while !done.load(Ordering::Relaxed) {
                    let learned = known.load(Ordering::Relaxed) as u64;
                    if learned > 0 && bar.length() != Some(learned) {
                        bar.set_length(learned);
                        bar.set_style(
                            indicatif::ProgressStyle::with_template(BAR)
                                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                        );
                    }
                    bar.set_position(counter.load(Ordering::Relaxed) as u64);
                    bar.tick();
                    std::thread::sleep(Duration::from_millis(100));
                }
                bar.finish_and_clear();
            })
        });
        Progress {
            counter,
            total: known_total,
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
