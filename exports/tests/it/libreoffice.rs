//! LibreOffice opens the generated workbooks and converts them to PDF: a
//! check that they are valid beyond what calamine reads.
//!
//! Skipped (with a message) when LibreOffice is not installed, unless
//! `DARAJA_REQUIRE_LIBREOFFICE` is set, in which case a missing LibreOffice
//! fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use exports::{EntityKind, Lang, national_workbook, report_card, sample};

fn find_soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
        .find(|candidate| candidate.is_file())
}

fn convert(soffice: &Path, dir: &Path, file: &str) {
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let status = Command::new(soffice)
        .args([
            &profile,
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(dir.join(file))
        .status()
        .expect("LibreOffice runs");
    assert!(status.success(), "conversion of {file} failed: {status}");
    let pdf = dir.join(file.replace(".xlsx", ".pdf"));
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{} missing: {e}", pdf.display()));
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 1000,
        "{} is not a PDF",
        pdf.display()
    );
}

#[test]
fn libreoffice_converts_workbooks_to_pdf() {
    let Some(soffice) = find_soffice() else {
        if std::env::var_os("DARAJA_REQUIRE_LIBREOFFICE").is_some() {
            panic!("DARAJA_REQUIRE_LIBREOFFICE is set but soffice/libreoffice is not on PATH");
        }
        eprintln!(
            "SKIPPED libreoffice_converts_workbooks_to_pdf: soffice/libreoffice not found \
             (apt-get install -y libreoffice-calc; set DARAJA_REQUIRE_LIBREOFFICE=1 to make this fatal)"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("daraja-exports-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rating = sample::national(120, 24);
    std::fs::write(
        dir.join("national.xlsx"),
        national_workbook(&rating, Lang::UzLatn).unwrap(),
    )
    .unwrap();
    let card = sample::report_card(&rating, EntityKind::District, 0);
    std::fs::write(dir.join("card.xlsx"), report_card(&card, Lang::Ru).unwrap()).unwrap();
    convert(&soffice, &dir, "national.xlsx");
    convert(&soffice, &dir, "card.xlsx");
    let template = exports::template::template_workbook(&sample::template(), Lang::UzCyrl).unwrap();
    std::fs::write(dir.join("template.xlsx"), template).unwrap();
    convert(&soffice, &dir, "template.xlsx");
    let region =
        exports::region_template::region_template_workbook(&sample::region_template(), Lang::Ru)
            .unwrap();
    std::fs::write(dir.join("region.xlsx"), region).unwrap();
    convert(&soffice, &dir, "region.xlsx");
    let _ = std::fs::remove_dir_all(&dir);
}
