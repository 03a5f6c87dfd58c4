fn main() {
    let blocks = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let opts = ix_synth::SynthOptions {
        blocks,
        seed: 1,
        plant_error: false,
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let s = ix_synth::generate(&opts, out).expect("gen");
    eprintln!("{s:?}");
}
