// A resident card check needs the name, the resident number and the issue date.
use ocrwire::nhn::ResidentCheck;

fn main() {
    let _check = ResidentCheck {
        name: "홍길동".into(),
        resident_number: "9001011234567".into(),
    };
}
