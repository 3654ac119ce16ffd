//! The terminal's width, which `--chain` fits its table to.

/// The width `--chain` fits its table to: `COLUMNS`, else the terminal's,
/// else 100 (a pipe or a file).
pub fn table_width() -> usize {
    const NOT_A_TERMINAL: usize = 100;
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns;
    }
    terminal_columns().unwrap_or(NOT_A_TERMINAL)
}

#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: an all-zero winsize is a valid value, and TIOCGWINSZ only
    // fills the one it is given.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}
