//! Draws on stderr the progress libraries report: they count into an
//! [`ix_base::progress::Counter`], this polls it. Quiet when stderr is not a
//! terminal or when asked.

use crate::print::Quiet;
use indicatif::{ProgressBar, ProgressStyle};
use ix_base::progress::Counter;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const BAR: &str = "{elapsed_precise} {msg} [{bar:30}] {pos}/{len} ({eta} left)";

pub struct Progress {
    /// What the work reports to: a spinner with the count until it sets
    /// its total, a bar after.
    pub counter: Counter,
    done: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Draws `label` with the count of `unit`s done, as a bar once the
    /// total is known, until `finish`.
    pub fn start(label: &'static str, unit: &'static str, quiet: &Quiet) -> Progress {
        Progress::draw(
            label,
            format!("{{elapsed_precise}} {{spinner}} {{msg}}: {{pos}} {unit}"),
            quiet.quiet,
        )
    }

    /// A spinner with the elapsed time, for work that counts nothing.
    pub fn spinner(label: &'static str, quiet: &Quiet) -> Progress {
        Progress::draw(
            label,
            "{elapsed_precise} {spinner} {msg}".into(),
            quiet.quiet,
        )
    }

    fn draw(label: &'static str, template: String, quiet: bool) -> Progress {
        let counter = Counter::default();
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let (counter, done) = (counter.clone(), done.clone());
            std::thread::spawn(move || {
                let style = |template: &str| {
                    ProgressStyle::with_template(template)
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                };
                let bar = ProgressBar::new(0);
                bar.set_style(style(&template));
                bar.set_message(label);
                while !done.load(Ordering::Relaxed) {
                    let total = counter.total() as u64;
                    if total > 0 && bar.length() != Some(total) {
                        bar.set_length(total);
                        bar.set_style(style(BAR));
                    }
                    bar.set_position(counter.done() as u64);
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
