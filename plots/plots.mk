# plots/: gnuplot figure scripts, drawn by scripts/render-plots (docs/plots.md).
# Nothing to build; installed with the renderer so that an installed copy can
# draw figures from any exitlat-analyze --gnuplot folder.
INSTALL_SCRIPTS += $(wildcard plots/*.gp) scripts/render-plots scripts/lib/common.sh \
		   scripts/lib/guest-kernels
