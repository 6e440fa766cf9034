//! What one documentation page states, read out of its blocks: the
//! endpoints (method and URI) with their headers, path variables and
//! fields, the error-code tables and the hosts.
//!
//! The vendors lay a page out the same way for every endpoint: a `[URI]`
//! table (or a `` `POST /path` `` line), then labelled tables
//! (`[Request Header]`, `[Path Variable]`, `[Field]`), then a response part
//! whose `[Field]` table lists the answer's members. Labels and column
//! names are matched in English and Korean.

use super::blocks::{self, Block, Row, Table};

/// One documentation page, read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    pub endpoints: Vec<DocEndpoint>,
    pub errors: Vec<DocError>,
    /// Hosts from an `API Endpoints` table.
    pub hosts: Vec<Located<String>>,
}

/// A value and the line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocEndpoint {
    pub method: String,
    /// As written, version prefix included (`/v2.1/appkeys/{appKey}/credit-card`).
    pub uri: String,
    pub line: usize,
    pub headers: Vec<Located<String>>,
    pub path_variables: Vec<Located<String>>,
    pub request: Vec<DocField>,
    pub response: Vec<DocField>,
}

/// A request or response member.
#[derive(Debug, Clone, PartialEq)]
pub struct DocField {
    /// Wire path with list indices as `[]` (`cardNums[].value`), without a
    /// leading `result.`.
    pub path: String,
    /// The documented type, first word (`String`, `List`, `Integer`).
    pub ty: String,
    /// Whether the page marks it encrypted.
    pub encrypted: bool,
    pub line: usize,
}

/// One row of an error-code table.
#[derive(Debug, Clone, PartialEq)]
pub struct DocError {
    pub code: String,
    pub key: Option<String>,
    pub message: String,
    pub http_status: Option<u16>,
    pub line: usize,
}

/// Which table a label announces.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Headers,
    PathVariables,
    Fields,
    /// The answer's result header (`isSuccessful`...): the error shape's
    /// business, not the endpoint's.
    ResultHeader,
    Other,
}

fn slot(label: &str) -> Slot {
    match label.to_lowercase().as_str() {
        "request header" | "요청 헤더" => Slot::Headers,
        "path variable" | "path variables" | "경로 변수" => Slot::PathVariables,
        "field" | "fields" | "필드" | "request body field" => Slot::Fields,
        "header" | "헤더" => Slot::ResultHeader,
        _ => Slot::Other,
    }
}

/// Whether a heading, label or line starts the response part.
fn starts_response(text: &str) -> bool {
    let t = blocks::clean(text).to_lowercase();
    let t = t.trim_start_matches(['*', '-', ' ']);
    t.starts_with("response") || t.starts_with("응답")
}

/// Whether a heading starts the request part.
fn starts_request(text: &str) -> bool {
    let t = blocks::clean(text).to_lowercase();
    let t = t.trim_start_matches(['*', '-', ' ']);
    t.starts_with("request") || t.starts_with("요청")
}

/// Reads a page.
pub fn read(text: &str) -> Page {
    let mut page = Page::default();
    let mut current: Option<DocEndpoint> = None;
    let mut in_response = false;
    let mut pending = Slot::Other;
    for block in blocks::read(text) {
        match block {
            Block::Heading { text, .. } | Block::Text { text, .. } => {
                if starts_response(&text) {
                    in_response = true;
                } else if starts_request(&text) {
                    in_response = false;
                }
                pending = Slot::Other;
            }
            Block::Label { text, .. } => {
                if starts_response(&text) {
                    in_response = true;
                }
                pending = slot(&text);
            }
            Block::Endpoint { method, uri, line } => {
                page.endpoints.extend(current.take());
                current = Some(DocEndpoint::new(method, uri, line));
                in_response = false;
            }
            Block::Table(table) => {
                if let Some(found) = uri_table(&table) {
                    for (method, uri, line) in found {
                        page.endpoints.extend(current.take());
                        current = Some(DocEndpoint::new(method, uri, line));
                    }
                    in_response = false;
                } else if let Some(errors) = error_table(&table) {
                    page.errors.extend(errors);
                } else if let Some(hosts) = host_table(&table) {
                    page.hosts.extend(hosts);
                } else if let Some(endpoint) = &mut current {
                    endpoint.take(&table, pending, in_response);
                }
                pending = Slot::Other;
            }
        }
    }
    page.endpoints.extend(current);
    page
}

impl DocEndpoint {
    fn new(method: String, uri: String, line: usize) -> DocEndpoint {
        DocEndpoint {
            method,
            uri,
            line,
            headers: Vec::new(),
            path_variables: Vec::new(),
            request: Vec::new(),
            response: Vec::new(),
        }
    }

    /// Files a table under this endpoint by its label, its columns and the
    /// part of the page it is in.
    fn take(&mut self, table: &Table, slot: Slot, in_response: bool) {
        let name = table.column(&["name", "이름", "필드", "field"]);
        // `| Category | Name | ... |`: one table for headers and body.
        if let (Some(category), Some(name)) = (table.column(&["category", "구분"]), name) {
            for row in &table.rows {
                let kind = row.cell(category).to_lowercase();
                if kind.contains("header") || kind.contains("헤더") {
                    self.headers.push(located(row.cell(name), row));
                } else if kind.contains("body") || kind.contains("본문") {
                    self.request.push(field(table, row, name));
                }
            }
            return;
        }
        let Some(name) = name else { return };
        match (slot, in_response) {
            (Slot::Headers, _) => self
                .headers
                .extend(table.rows.iter().map(|row| located(row.cell(name), row))),
            (Slot::PathVariables, _) => self
                .path_variables
                .extend(table.rows.iter().map(|row| located(row.cell(name), row))),
            (Slot::ResultHeader, true) => {}
            (Slot::Fields | Slot::Other, false) if table.column(&["type", "타입"]).is_some() => {
                self.request
                    .extend(table.rows.iter().map(|row| field(table, row, name)));
            }
            (Slot::Fields | Slot::Other, true) if table.column(&["type", "타입"]).is_some() => {
                self.response
                    .extend(table.rows.iter().map(|row| field(table, row, name)));
            }
            _ => {}
        }
    }
}

fn located(value: String, row: &Row) -> Located<String> {
    Located {
        value,
        line: row.line,
    }
}

fn field(table: &Table, row: &Row, name: usize) -> DocField {
    let ty = table
        .column(&["type", "타입"])
        .map(|c| row.cell(c))
        .unwrap_or_default();
    let encrypted = table
        .column(&[
            "encryption description",
            "encryption",
            "encrypted",
            "encryption status",
            "whether encrypted or not",
            "암호화 설명",
            "암호화 여부",
            "암호화",
        ])
        .map(|c| row.cell(c))
        .is_some_and(|mark| {
            let mark = mark.to_lowercase();
            !mark.is_empty() && !matches!(mark.as_str(), "x" | "-" | "no" | "n" | "아니요")
        });
    DocField {
        path: normalize_path(&row.cell(name)),
        ty: ty.split_whitespace().next().unwrap_or("").to_string(),
        encrypted,
        line: row.line,
    }
}

/// `result.cardNums[0].value` -> `cardNums[].value`.
pub fn normalize_path(path: &str) -> String {
    let path = path.strip_prefix("result.").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

/// `| Method | URI |` rows.
fn uri_table(table: &Table) -> Option<Vec<(String, String, usize)>> {
    let method = table.column(&["method", "메서드"])?;
    let uri = table.column(&["uri", "url"])?;
    Some(
        table
            .rows
            .iter()
            .filter_map(|row| {
                let (m, u) = (row.cell(method).to_uppercase(), row.cell(uri));
                u.starts_with('/').then_some((m, u, row.line))
            })
            .collect(),
    )
}

/// `| Error Code | Error Message |`, `| resultCode | resultKey | resultMessage |`,
/// `| HTTP 상태 코드 | 코드 | 메시지 | 설명 |`. Rows whose code is not a
/// number (cut rows) are skipped.
fn error_table(table: &Table) -> Option<Vec<DocError>> {
    let code = table.column(&[
        "error code",
        "오류 코드",
        "resultcode",
        "result code",
        "코드",
        "code",
    ])?;
    let message = table.column(&[
        "error message",
        "오류 메시지",
        "resultmessage",
        "result message",
        "메시지",
        "message",
    ])?;
    let key = table.column(&["resultkey", "result key"]);
    let status = table.column(&[
        "http 상태 코드",
        "http status code",
        "http status",
        "status",
    ]);
    Some(
        table
            .rows
            .iter()
            .filter_map(|row| {
                let code_text = row.cell(code);
                let numeric = code_text.strip_prefix('-').unwrap_or(&code_text);
                if numeric.is_empty() || !numeric.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let message_text = row.cell(message);
                if message_text.contains("[CUT]") || message_text.is_empty() {
                    return None;
                }
                Some(DocError {
                    code: code_text,
                    key: key.map(|k| row.cell(k)).filter(|k| !k.is_empty()),
                    message: message_text,
                    http_status: status.and_then(|s| row.cell(s).parse().ok()),
                    line: row.line,
                })
            })
            .collect(),
    )
}

/// `| Region | Endpoint |` rows holding a URL.
fn host_table(table: &Table) -> Option<Vec<Located<String>>> {
    table.column(&["region", "리전"])?;
    let endpoint = table.column(&["endpoint", "엔드포인트"])?;
    Some(
        table
            .rows
            .iter()
            .map(|row| row.cell(endpoint))
            .zip(&table.rows)
            .filter(|(url, _)| url.starts_with("http"))
            .map(|(url, row)| located(url, row))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "\
### API Endpoints

| Region | Endpoint |
| --- | --- |
| Korea (Pangyo) Region | https://api-ocr.nhncloudservice.com |

#### Common

| Error Code | Error Message | Description |
| --- | --- | --- |
| -1 | Unknown error. | Unknown error |
| 4010006 | Invalid token. | Invalid token |

### Credit Card API

#### Request

[URI]

| Method | URI |
| ------ | --- |
| POST   | /v2.1/appkeys/{appKey}/credit-card |

[Request Header]

| Name | Value | Description |
| --- | --- | --- |
| X-NHN-Authorization | Bearer {token} | token |
| Symmetric-Key | {symmetricKey} | key |

[Path Variable]

| Name | Value | Description |
| --- | --- | --- |
| appKey | {appKey} | app key |

[Field]

| Name | Type | Description | Encryption Description |
| --- | --- | --- | --- |
| image | multipart/form-data | Image file | Image encrypted with a symmetric key |

#### Response

[Header]

| Name | Type | Description |
| --- | --- | --- |
| isSuccessful | Boolean | ok |

[Field]

| 이름 | 타입 | 설명 | 암호화 여부 |
| --- | --- | --- | --- |
| result.cardNums[0].value | String | value | O |
| cardNums[0].conf | Double | conf | |
";

    #[test]
    fn an_endpoint_with_its_tables() {
        let page = read(GUIDE);
        assert_eq!(page.hosts[0].value, "https://api-ocr.nhncloudservice.com");
        assert_eq!(page.errors.len(), 2);
        assert_eq!(page.errors[1].code, "4010006");
        assert_eq!(page.errors[1].message, "Invalid token.");
        assert_eq!(page.endpoints.len(), 1);
        let e = &page.endpoints[0];
        assert_eq!(
            (e.method.as_str(), e.uri.as_str()),
            ("POST", "/v2.1/appkeys/{appKey}/credit-card")
        );
        let headers: Vec<&str> = e.headers.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(headers, ["X-NHN-Authorization", "Symmetric-Key"]);
        assert_eq!(e.path_variables[0].value, "appKey");
        assert_eq!(e.request.len(), 1);
        assert!(e.request[0].encrypted);
        let response: Vec<(&str, bool)> = e
            .response
            .iter()
            .map(|f| (f.path.as_str(), f.encrypted))
            .collect();
        assert_eq!(
            response,
            [("cardNums[].value", true), ("cardNums[].conf", false)]
        );
    }

    #[test]
    fn token_style_tables_and_error_code_pages() {
        let page = read(
            "\
> `POST /oauth2/token/create`

| Category | Name | Type | Required | Value | Description |
|---|---|---|---|---|---|
| Header | Authorization | String | Yes | Basic x | |
| Request Body | grant_type | String | Yes | client_credentials | |

* Response

| Name | Type | Required | Description |
|---|---|---|---|
| access_token | String | Yes | token |

| resultCode | resultKey | resultMessage |
| --- | --- | --- |
| 4000111 | CREDIT_CARD_INFO_NOT_FOUND | Credit card info not found. |
| 5 [CUT] | | |
",
        );
        let e = &page.endpoints[0];
        assert_eq!(e.uri, "/oauth2/token/create");
        assert_eq!(e.headers[0].value, "Authorization");
        assert_eq!(e.request[0].path, "grant_type");
        assert_eq!(e.response[0].path, "access_token");
        assert_eq!(page.errors.len(), 1);
        assert_eq!(
            page.errors[0].key.as_deref(),
            Some("CREDIT_CARD_INFO_NOT_FOUND")
        );
    }
}
