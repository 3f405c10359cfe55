//! Is this message machine-made? (design.md, ingest step 5)
