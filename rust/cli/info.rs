//! `ix info ENV.ixe [--json]`: counts, bytes per section and the merkle root.

use ixon::SectionSizes;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The `.ixe` file.
    input: PathBuf,
    #[command(flatten)]
    print: crate::print::Print,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = crate::progress::Progress::spinner("reading", &args.print.quiet);
    let info = ixon::info_file(&args.input);
    progress.finish();
    let info = info.map_err(|e| e.to_string())?;
    let root = info.root.map(|r| r.hex());
    let sections = SectionSizes::NAMES.iter().zip(info.sections.0);
    if args.print.json {
        let mut bytes = serde_json::Map::new();
        for (name, n) in sections {
            bytes.insert(name.to_string(), n.into());
        }
        let out = serde_json::json!({
            "version": info.version,
            "blocks": info.constants.saturating_sub(info.projections),
            "mutual_blocks": info.blocks,
            "projections": info.projections,
            "blobs": info.blobs,
            "names": info.names,
            "declarations": info.declarations,
            "hints": info.hints,
            "bytes": info.sections.total(),
            "section_bytes": bytes,
            "root": root,
            "named_root": info.named_root.hex(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
        return Ok(0);
    }
    println!("{} (.ixe version {})", args.input.display(), info.version);
    println!(
        "blocks        {} ({} mutual)",
        info.constants.saturating_sub(info.projections),
        info.blocks
    );
    println!("projections   {}", info.projections);
    println!("blobs         {}", info.blobs);
    println!("names         {}", info.names);
    println!("declarations  {}", info.declarations);
    println!("hints         {}", info.hints);
    println!(
        "root          {}",
        root.as_deref().unwrap_or("none (empty)")
    );
    println!("named root    {}", info.named_root.hex());
    println!("bytes         {}", info.sections.total());
    for (name, n) in sections {
        println!("  {name:<12}{n}");
    }
    Ok(0)
}
