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
    /// Draws `label` with `counter` against `total` until `finish`.
    pub fn start(label: &'static str, total: u64, quiet: bool) -> Progress {
        let counter = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let drawer = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let (counter, done) = (counter.clone(), done.clone());
            std::thread::spawn(move || {
                let bar = indicatif::ProgressBar::new(total);
                let style = indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} {msg} [{bar:30}] {pos}/{len} declarations ({eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                bar.set_style(style);
                bar.set_message(label);
                while !done.load(Ordering::Relaxed) {
                    bar.set_position(counter.load(Ordering::Relaxed) as u64);
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
