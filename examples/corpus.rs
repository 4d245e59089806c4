//! Writes the SPEC §9 benchmark corpus (`meshlint::testgen`) for the performance script:
//! `cargo run --release --example corpus -- DIR NAMESPACES`.

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next()) else {
        eprintln!("usage: corpus DIR NAMESPACES");
        std::process::exit(2);
    };
    let n: usize = n
        .parse()
        .map_err(|e| std::io::Error::other(format!("NAMESPACES: {e}")))?;
    std::fs::create_dir_all(&dir)?;
    let bytes = meshlint::testgen::write_corpus(std::path::Path::new(&dir), n)?;
    println!("{dir}: {n} namespaces, {bytes} bytes");
    Ok(())
}
