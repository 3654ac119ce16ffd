//! The exit status and the deadline hold in every phase: when stdout or
//! stderr cannot be written, when nobody reads stdout, and for `--pem` and
//! `ca_file` paths that are not regular files.

use std::fs::File;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{amazon_root_ca_1, command, run_args, ChainServer, TempDir, BINARY};

fn dev_full() -> File {
    File::options()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full")
}

/// Waits at most `limit` for `child`; kills it and fails if it is still alive.
fn wait_at_most(child: &mut std::process::Child, limit: Duration) -> (Option<i32>, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return (status.code(), started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Issue 8: `eprintln!` panicked on a stderr that cannot be written, and the
/// panic hook's own `eprintln!` turned that into SIGABRT (exit 134).
#[test]
fn an_unwritable_stderr_keeps_the_documented_exit_status() {
    let bad_input = command(&["--pem", "/nonexistent/bundle.pem"], &[])
        .stderr(dev_full())
        .status()
        .expect("run");
    assert_eq!(bad_input.code(), Some(2));

    let origin = ChainServer::start("stderr-full");
    let refused = command(&["--timeout", "5", "localhost:1"], &[])
        .stderr(dev_full())
        .status()
        .expect("run");
    assert_eq!(refused.code(), Some(1));

    // A verbose success writes notes to the unwritable stderr and still succeeds.
    let target = format!("localhost:{}", origin.server.port());
    let output = command(&["-v", "--ca-file", &origin.ca_file, &target], &[])
        .stderr(dev_full())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{}\n", origin.expected())
    );
}

/// Issue 8: with stdout closed (`>&-`) the answer was lost and the exit
/// status said success. `>/dev/null`, which a user may mean, still succeeds.
#[test]
fn a_closed_stdout_is_a_failure_but_dev_null_is_not() {
    let closed = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" --pem \"$1\" >&-",
            BINARY,
            &amazon_root_ca_1(),
        ])
        .output()
        .expect("run sh");
    assert_eq!(closed.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&closed.stderr).contains("cannot write to stdout"),
        "{}",
        String::from_utf8_lossy(&closed.stderr)
    );
    let null = command(&["--pem", &amazon_root_ca_1()], &[])
        .stdout(Stdio::null())
        .status()
        .expect("run");
    assert_eq!(null.code(), Some(0));
    let shell_null = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" --pem \"$1\" >/dev/null",
            BINARY,
            &amazon_root_ca_1(),
        ])
        .status()
        .expect("run sh");
    assert_eq!(shell_null.code(), Some(0));
}

/// Issue 15: Python's `subprocess.DEVNULL` and Node's `stdio: 'ignore'`
/// open `/dev/null` read-write, which was taken for a closed stdout (exit
/// 1). Any open file that takes writes is a stdout; a pipe whose reader
/// is gone is not.
#[test]
fn dev_null_opened_read_write_is_a_stdout_and_a_pipe_without_reader_is_not() {
    let read_write_null = File::options()
        .read(true)
        .write(true)
        .open("/dev/null")
        .expect("open /dev/null read-write");
    let run = command(&["--pem", &amazon_root_ca_1()], &[])
        .stdin(Stdio::null())
        .stdout(read_write_null)
        .output()
        .expect("run");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.stderr.is_empty());

    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let run = command(&["--pem", &amazon_root_ca_1()], &[])
        .stdin(Stdio::null())
        .stdout(writer)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
}

/// A pipe filled to the brim, with its reader kept open and never read:
/// a writer to it blocks. The reader is returned so the caller keeps it.
// The tests build with the toolchain CI installs; the MSRV is the crates'.
#[allow(clippy::incompatible_msrv)]
fn full_pipe() -> (std::io::PipeReader, std::io::PipeWriter) {
    use std::os::fd::AsRawFd;
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let fd = writer.as_raw_fd();
    // SAFETY: fcntl on a pipe end this function owns; it touches no memory.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    while writer.write(&[b'x'; 4096]).is_ok() {}
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
    }
    (reader, writer)
}

/// Issue 15: `--timeout 1 --pem /nope` with stderr a full pipe never
/// ended: the main thread blocked writing its message while holding
/// stderr's lock, and the watchdog waited on that lock. The exit must not.
#[test]
fn the_deadline_wins_over_a_blocked_stderr_in_cli_and_terraform_mode() {
    let closed = crate::common::server::closed_port().to_string();
    let query = format!(r#"{{"host":"127.0.0.1","port":"{closed}","timeout":"1"}}"#);
    for (args, stdin) in [
        (vec!["--timeout", "1", "--pem", "/nope"], None),
        (vec!["--timeout", "1", "-v", "127.0.0.1:9"], None),
        (vec![], Some(query.as_str())),
    ] {
        let (_reader, writer) = full_pipe();
        let mut child = command(&args, &[("OIDC_THUMBPRINT_LOG", "1")])
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(writer)
            .spawn()
            .expect("start");
        if let Some(query) = stdin {
            let mut input = child.stdin.take().expect("stdin");
            input.write_all(query.as_bytes()).expect("query");
        }
        let (code, elapsed) = wait_at_most(&mut child, Duration::from_secs(8));
        assert!(
            elapsed < Duration::from_secs(4),
            "{args:?}: still running after {elapsed:?}"
        );
        assert_eq!(code, Some(1), "{args:?}");
        let mut stdout = String::new();
        std::io::Read::read_to_string(&mut child.stdout.take().expect("stdout"), &mut stdout)
            .expect("stdout");
        assert_eq!(stdout, "", "{args:?}");
    }
}

/// Issue 8: the answer's writer held the stdout gate while blocked on a
/// pipe nobody read, and the watchdog waited for the gate: a run was alive
/// 8 s into a 2 s timeout. Here the pipe is full before the run starts.
#[test]
fn the_watchdog_ends_a_run_blocked_on_a_full_stdout() {
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let mut filler = writer.try_clone().expect("clone");
    // Fills the pipe and stays blocked; it ends when `reader` is dropped.
    let fill = std::thread::spawn(move || {
        let _ = filler.write_all(&vec![b'x'; 1 << 20]);
    });
    std::thread::sleep(Duration::from_millis(200));
    let mut child = command(&["--pem", &amazon_root_ca_1(), "--timeout", "1"], &[])
        .stdin(Stdio::null())
        .stdout(writer.try_clone().expect("clone"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let (code, elapsed) = wait_at_most(&mut child, Duration::from_secs(8));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("the 1 s timeout ran out"), "{stderr}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let _ = writer.flush();
    drop(reader);
    let _ = fill.join();
}

/// Issue 8: `--pem FIFO` waited forever for a writer, and a FIFO `ca_file`
/// was reported as a timeout (exit 1). Both are refused at once (exit 2).
#[test]
fn a_fifo_or_a_directory_is_refused_as_a_certificate_file() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path().join("bundle.pem");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    let fifo = fifo.to_string_lossy().into_owned();
    let run = run_args(&["--pem", &fifo]);
    run.assert_fails(2, &["--pem", "bundle.pem", "not a regular file"]);
    run.assert_within(Duration::from_secs(2));

    let run = crate::common::run_query(
        serde_json::json!({"host": "localhost", "ca_file": fifo, "timeout": "2"}),
    );
    run.assert_fails(2, &["ca_file", "bundle.pem", "not a regular file"]);
    run.assert_within(Duration::from_secs(1));

    let directory = dir.path().to_string_lossy().into_owned();
    run_args(&["--pem", &directory]).assert_fails(2, &["--pem", "a directory"]);
}

/// `--pem` takes `--timeout` (its deadline), and refuses a bad one.
#[test]
fn pem_mode_takes_a_timeout() {
    let run = run_args(&["--pem", &amazon_root_ca_1(), "--timeout", "2"]);
    run.assert_ok();
    assert_eq!(run.stdout, "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16\n");
    run_args(&["--pem", &amazon_root_ca_1(), "--timeout", "0"]).assert_fails(2, &["timeout"]);
}

/// Issue 18: once a cluster is deleted, `terraform destroy` in fetch mode
/// re-runs the program against an issuer that is gone; the message under
/// Terraform says how to destroy anyway. A person at a shell is not told.
#[test]
fn under_terraform_an_unreachable_issuer_says_how_to_destroy() {
    let closed = crate::common::server::closed_port().to_string();
    let query = format!(r#"{{"host":"127.0.0.1","port":"{closed}","timeout":"2"}}"#);
    let run = crate::common::run_with_stdin(query.as_bytes(), &[]);
    run.assert_fails(1, &["cannot connect", "terraform destroy -refresh=false"]);
    let target = format!("127.0.0.1:{closed}");
    let run = crate::common::run_args(&["--timeout", "2", &target]);
    run.assert_fails(1, &["cannot connect"]);
    assert!(
        !run.stderr.contains("terraform destroy"),
        "a person at a shell is not running terraform destroy: {}",
        run.stderr
    );
}
