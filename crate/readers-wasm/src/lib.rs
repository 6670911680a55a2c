//! lagmix-readers-wasm: the page's reader of workbooks (.xlsx .xlsm .xls .ods) and SPSS files
//! (.sav .zsav), a wasm module of its own because calamine, zip, quick-xml and encoding_rs
//! more than double the size of the main module; the worker loads it only when such a file is
//! opened.
//!
//! JS API: `readFile(bytes, importOptions)` -> `{table, source}`: `table` is the typed cells as
//! bytes (`lagmix::frame::encode_table`, numbers as their IEEE bits) for the main module's
//! `Analysis.fromCells`, `source` says what was read (`SourceInfo`). Errors are a JS `Error`
//! with the reader's message (it names the sheet and cell, or the record).

use serde::{Deserialize, Serialize};

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INTERFACES: &'static str = r#"
export interface ReadFile {
  /** The typed cells for Analysis.fromCells. */
  table: Uint8Array;
  /** What was read: format, sheets, rows, columns, SPSS variables (see lagmix.d.ts). */
  source: any;
}
"#;

/// `{sheet, factors, numeric}` (see `lagmix::import::ImportOptions`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ImportOptionsJs {
    sheet: Option<String>,
    factors: Vec<String>,
    numeric: Vec<String>,
}

/// Reads a workbook or SPSS file. `importOptions`: `{sheet, factors, numeric}` or undefined.
#[wasm_bindgen(js_name = readFile, unchecked_return_type = "ReadFile")]
pub fn read_file(
    bytes: &[u8],
    #[wasm_bindgen(js_name = importOptions)] import: JsValue,
) -> Result<JsValue, JsError> {
    // serde-wasm-bindgen looks up only the known keys: a typo would pass unnoticed.
    if import.is_object() {
        let keys = js_sys::Object::keys(import.unchecked_ref());
        if let Some(key) = keys
            .iter()
            .filter_map(|k| k.as_string())
            .find(|k| !["sheet", "factors", "numeric"].contains(&k.as_str()))
        {
            let msg = format!("unknown option {key:?}; the options are: sheet, factors, numeric");
            return Err(JsError::new(&msg));
        }
    }
    let options: ImportOptionsJs = if import.is_undefined() || import.is_null() {
        ImportOptionsJs::default()
    } else {
        serde_wasm_bindgen::from_value(import)
            .map_err(|e| JsError::new(&format!("bad import options: {e}")))?
    };
    let import = lagmix::import::ImportOptions {
        sheet: options.sheet.filter(|s| !s.is_empty()),
        factors: options.factors,
        numeric: options.numeric,
    };
    let (table, source) = lagmix::import::read_cells(bytes, &import)?;
    let table = lagmix::frame::encode_table(&table);
    let result = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&result, &key.into(), value);
    let source = source
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not pass the result to the page: {e}")))?;
    set("table", &js_sys::Uint8Array::from(table.as_slice()).into())
        .and_then(|_| set("source", &source))
        .map_err(|_| JsError::new("could not pass the table to the page"))?;
    Ok(result.into())
}
