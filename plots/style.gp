# exitlat figure style (gnuplot 5.4): loaded first by every plots/*.gp.
#
# Set by the caller (scripts/render-plots) with -e before the figure script,
# only constants and strictly checked values, never text from the data:
#   fmt       'pdf' (vector, pdfcairo), 'png' (pngcairo) or 'tex' (cairolatex pdf:
#             FILE.tex + FILE.pdf, text typeset by LaTeX in the document's own fonts)
#   out       output file (for 'tex' the .tex file; gnuplot writes the .pdf beside it)
#   w_cm, h_cm  figure size in cm (default 8.5 x 6: one column of a two-column page,
#             0.6\textwidth of a thesis page)
#   font_pt   text size in points as printed at w_cm (default 8)
#   png_dpi   PNG resolution (default 200)
#   emulated_force  an emulator's name (render-plots --emulated: letters, digits, . + -)
# Set by the figure script from its data file before loading this one:
#   emulated  1: the figure is stamped "EMULATED (NAME): path length, not hardware
#             time", NAME being emu_name (emu_name_tex for LaTeX); 0: measured
#   tsc_khz   TSC frequency in kHz when known (0: unknown); figures then add a
#             nanosecond axis. Never for emulated data (a path length has no time).
#   xlo, xhi  a fixed x range (NaN or absent: autoscaled)
# Text from the data comes with its enhanced-text markup escaped (the analysis
# writes it so): it prints as itself, never as markup.
#
# Cairo terminals lay text out at 96 dpi, so a font asked for as N pt comes out
# N*96/72 pt in a PDF: fontscale 0.75 makes 8 pt print as 8 pt (checked with
# pdftotext -bbox). The same reason gives pngcairo fontscale png_dpi/96.

if (!exists("fmt")) fmt = 'pdf'
if (!exists("out")) out = 'figure.'.fmt
if (!exists("emulated")) emulated = 0
if (!exists("emu_name")) emu_name = ''
if (!exists("emu_name_tex")) emu_name_tex = emu_name
if (exists("emulated_force")) { emulated = 1; emu_name = emulated_force; emu_name_tex = emulated_force }
if (!exists("tsc_khz")) tsc_khz = 0
if (!exists("w_cm")) w_cm = 8.5
if (!exists("h_cm")) h_cm = 6.0
if (!exists("font_pt")) font_pt = 8
if (!exists("png_dpi")) png_dpi = 200
if (!exists("xlog")) xlog = 0
if (emulated) tsc_khz = 0
# xlo, xhi: a fixed x range (the analysis gives one where all values are equal,
# which gnuplot would otherwise widen with a warning).
fixed_x = 0
if (exists("xlo") && exists("xhi")) { if (xlo == xlo && xhi == xhi) { fixed_x = 1 } }
if (fixed_x) set xrange [xlo:xhi]

font_name = 'DejaVu Sans'
is_tex = (fmt eq 'tex')

if (fmt ne 'pdf' && fmt ne 'png' && !is_tex) {
	print sprintf("style.gp: unknown fmt '%s' (pdf, png or tex)", fmt)
	exit status 2
}
# The terminal is set by "eval set_term", after any dry run (see ns_axis).
set_term = "if (fmt eq 'pdf') { " . \
	"set terminal pdfcairo enhanced color size w_cm cm, h_cm cm " . \
	"font sprintf('%s,%g', font_name, font_pt) fontscale 0.75 linewidth 1.0 rounded } " . \
	"else { if (fmt eq 'png') { " . \
	"set terminal pngcairo enhanced color background '#ffffff' " . \
	"size int(w_cm / 2.54 * png_dpi), int(h_cm / 2.54 * png_dpi) " . \
	"font sprintf('%s,%g', font_name, font_pt) fontscale png_dpi / 96.0 " . \
	"linewidth png_dpi / 96.0 * 0.75 rounded } " . \
	"else { set terminal cairolatex pdf color size w_cm cm, h_cm cm font sprintf(',%g', font_pt) fontscale 0.75 linewidth 1.0 rounded } }; " . \
	"set output out"

# Okabe-Ito colours, each line type with its own dash and point type so the
# series stay apart printed in black and white. lt 1 = native, lt 2 = KVM.
set linetype 1 lc rgb '#0072B2' lw 1.5 dt 1            pt 7  ps 0.6
set linetype 2 lc rgb '#D55E00' lw 1.5 dt (6,3)        pt 5  ps 0.6
set linetype 3 lc rgb '#009E73' lw 1.5 dt (2,2)        pt 9  ps 0.7
set linetype 4 lc rgb '#CC79A7' lw 1.5 dt (8,3,2,3)    pt 13 ps 0.7
set linetype 5 lc rgb '#E69F00' lw 1.5 dt (3,3,1,3,1,3) pt 11 ps 0.7
set linetype 6 lc rgb '#56B4E9' lw 1.5 dt (12,4)       pt 6  ps 0.6
set linetype 7 lc rgb '#000000' lw 1.5 dt (1,2)        pt 4  ps 0.6
set linetype 8 lc rgb '#666666' lw 1.5 dt (4,2,4,6)    pt 8  ps 0.6
set linetype cycle 8

# Light grid behind the data, no top/right border, ticks outward.
set style line 100 lc rgb '#d9d9d9' lw 0.5 dt 1
set grid back ls 100
set border 3 back lw 0.8
set tics nomirror out scale 0.6
set mxtics
set key top right samplen 2.5 spacing 1.0 noautotitle
set format y '%g'
set format x '%g'
set tmargin (emulated ? 2.4 : 1.2)

# Axis units: cycles always; nanoseconds on the top axis when the TSC rate is known.
cyc_label = 'cycles (TSC)'
ns_of(c) = c / (tsc_khz / 1.0e6)
cyc_of(n) = n * (tsc_khz / 1.0e6)

# Decade labels for logarithmic axes.
if (is_tex) {
	log_fmt = '$10^{%T}$'
} else {
	log_fmt = '10^{%T}'
}

# A nanosecond x2 axis matching the cycle x axis (measured data only). gnuplot
# cannot link a log axis, so a figure plots once to the null terminal, then:
#   eval ns_axis      (fixes the x range found, sets x2 to the same span in ns)
#   eval set_term; replot
# Without tsc_khz, ns_axis only sets the real terminal's output; the replot is
# then the one and only page.
# A linear x axis keeps about five labelled tics, so numbers never collide.
nice(x) = (nice_m = 10 ** floor(log10(x)), nice_f = x / nice_m, \
	   (nice_f < 1.5 ? 1 : nice_f < 3.5 ? 2 : nice_f < 7.5 ? 5 : 10) * nice_m)
# A log axis over more than three decades, or reaching a million, labels its
# decades as powers of ten (long numbers would collide).
# Data on a log axis' very edge (autoscale stops at the decade it sits on)
# would hide under the border: the range is widened a little past it.
ns_axis = "xmin_ = GPVAL_X_MIN; xmax_ = GPVAL_X_MAX; " . \
	  "if (xlog && !fixed_x) { " . \
	  "if (GPVAL_DATA_X_MIN <= xmin_ * 1.001) { xmin_ = xmin_ / 1.5 }; " . \
	  "if (GPVAL_DATA_X_MAX >= xmax_ / 1.001) { xmax_ = xmax_ * 1.5 } }; " . \
	  "set xrange [xmin_:xmax_]; " . \
	  "if (!xlog && xmax_ > xmin_) { set xtics nice((xmax_ - xmin_) / 4.0) }; " . \
	  "wide_ = xlog && xmin_ > 0 && (xmax_ / xmin_ > 1.1e3 || xmax_ > 1.5e5); " . \
	  "if (wide_) { set format x log_fmt; set format x2 log_fmt } else { set format x2 '%.0f' }; " . \
	  "if (tsc_khz > 0) { " . \
	  "if (xlog) { set logscale x2 } ; set x2range [ns_of(xmin_):ns_of(xmax_)]; " . \
	  "set x2tics nomirror out scale 0.6; " . \
	  "set x2label sprintf('nanoseconds (TSC %.3f GHz)', tsc_khz / 1.0e6); " . \
	  "set border 7 back lw 0.8; set tmargin (emulated ? 4.6 : 3.6) }"
# The same for a cycle y axis: a nanosecond y2 axis on the right.
ns_yaxis = "ymin_ = GPVAL_Y_MIN; ymax_ = GPVAL_Y_MAX; " . \
	   "if (tsc_khz > 0) { set yrange [ymin_:ymax_]; " . \
	   "if (ylog) { set logscale y2; set format y2 log_fmt } ; set y2range [ns_of(ymin_):ns_of(ymax_)]; " . \
	   "set y2tics nomirror out scale 0.6; " . \
	   "set y2label sprintf('nanoseconds (TSC %.3f GHz)', tsc_khz / 1.0e6); " . \
	   "set border 11 back lw 0.8 }"
if (!exists("ylog")) ylog = 0
# (wide: LaTeX labels are long as plain text, and the dry run must fit them)
set terminal dumb size 240,80
set output '/dev/null'

# EMULATED stamp: a red line above the plot and a pale watermark behind the data.
if (emulated) {
	# A long name leaves out the rest (the x axis says path length too): one line fits.
	stamp = sprintf(strlen(emu_name) > 10 ? 'EMULATED (%s)' : \
		'EMULATED (%s): path length, not hardware time', is_tex ? emu_name_tex : emu_name)
	set label 901 stamp at screen 0.5, screen 0.985 center front \
		tc rgb '#C00000' font sprintf('%s,%g', font_name, font_pt)
	set label 902 'EMULATED' at graph 0.5, graph 0.5 center back \
		rotate by 20 tc rgb '#F2C4C4' font sprintf('%s,%g', font_name, font_pt * 3)
	cyc_label = 'path length (emulated TSC cycles)'
}
