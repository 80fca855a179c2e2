/** The benchmark adapters of each mechanism: how a peer is started and connected. */
package io.github.ipcatlas.comparison.bench.mechanisms;
