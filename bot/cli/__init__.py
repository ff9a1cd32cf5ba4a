"""The `kefu` command line, one module per top-level command. As the outermost layer it may import any
package; nothing imports it."""
