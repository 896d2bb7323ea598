/** Figure builders: plain Plotly specs with the rankscope house style. */
export * from "./figure";
export * from "./style";
export * from "./spectral-density";
