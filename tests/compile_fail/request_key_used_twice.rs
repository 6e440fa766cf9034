// The authenticity call takes the Request-Key by value, so it can be spent once.
use ocrwire::nhn::{DocumentClient, RequestKey, ResidentCheck};

async fn verify_twice(client: &DocumentClient, key: RequestKey, check: ResidentCheck) {
    let _first = client.id_card_authenticity(key, check.clone()).await;
    let _second = client.id_card_authenticity(key, check).await;
}

fn main() {}
