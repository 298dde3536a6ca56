# Histogram of one exit kind, native and KVM overlaid, log count scale.
# Variables (besides style.gp's), one blank-separated word per series:
#   files   hist-ID.dat files (docs/analysis-outputs.md)
#   titles  key titles        lts  line types (style.gp: 1 native, 2 KVM)
#   bins    exact|log (the file's "bins:")   bpds  its bins_per_decade (0 if exact)
# and kind (the exit kind, the key's title), xlog (1: log x axis), lbw (bin width
# in cycles on a linear x axis), mode ('spikes': one line per distinct value, for
# a few exact values such as emulated path lengths; 'boxes': binned outlines).
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/style.gp'
if (!exists("mode")) mode = 'boxes'
if (!exists("lbw")) lbw = 1
if (!exists("bpds")) bpds = ''
n = words(files)

set logscale y
set format y log_fmt
set yrange [0.7:*]
set ylabel 'count (samples per bin)'
set xlabel cyc_label
set key title kind
if (xlog) { set logscale x; set mxtics 10; set format x '%.0f' }
if (!xlog) set offsets graph 0.05, graph 0.05, 0, 0

# Display bins: exact values are summed into 40 bins per decade (log x) or bins
# of lbw cycles (linear x); the analysis' own log bins are kept as they are.
bpd = 40.0
islog(i) = word(bins, i) eq 'log'
dbin(x) = x < 1 ? x : 10 ** (floor(log10(x) * bpd) / bpd)
lbin(x) = floor(x / lbw) * lbw
binx(i, x) = islog(i) ? x : (xlog ? dbin(x) : lbin(x))
# Right edge of the display bin starting at x.
fac(i) = islog(i) ? 10 ** (1.0 / word(bpds, i)) : 10 ** (1.0 / bpd)
hix(i, x) = (islog(i) || xlog) ? x * fac(i) : x + lbw

if (mode eq 'spikes') {
	plot for [i=1:n] word(files, i) using 1:3 with impulses lt word(lts, i) + 0 notitle, \
	     for [i=1:n] word(files, i) using 1:3 with points lt word(lts, i) + 0 \
		title word(titles, i)
} else {
	# (table output uses the axis formats: plain numbers while it is written)
	set format x '%.12g'; set format y '%.12g'
	set table $BINNED
	plot for [i=1:n] word(files, i) using (binx(i, $1)):3 smooth frequency
	unset table
	set format x (xlog ? '%.0f' : '%g'); set format y log_fmt
	set style fill empty
	plot for [i=1:n] $BINNED index (i - 1) \
		using (($1 + hix(i, $1)) / 2):2:(hix(i, $1) - $1) with boxes \
		lt word(lts, i) + 0 title word(titles, i)
}

# A decade of headroom above the highest bin keeps the key clear of the data.
set yrange [0.7:GPVAL_Y_MAX * 10]
eval ns_axis
eval set_term
replot
