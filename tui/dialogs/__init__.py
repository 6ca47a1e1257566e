"""The small screens opened over another: confirmations, notes, hand-overs, a mail's
preview, the help panel."""
