// The example program is written next.
