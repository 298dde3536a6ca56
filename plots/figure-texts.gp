# The texts of a figure laid out by exitlat-history (history/layout.c), loaded
# by trend.gp and trend-fleet.gp: block texts_index of data holds one row per
# text, "x y align vertical axis_label text" (screen fractions; align 0 left,
# 1 centre, 2 right; axis_label 1: style.gp's cyc_label). Each text is read
# with strcol() and set as a label's text: data, never gnuplot code.
# Variables: data, texts_index, ntexts (rows), cyc_label.
do for [i_ = 0:ntexts - 1] {
	stats data index texts_index every ::i_::i_ using (tx_ = column(1), ty_ = column(2), \
		ta_ = int(column(3)), tv_ = int(column(4)), tt_ = (int(column(5)) ? cyc_label : strcol(6)), 0) nooutput
	if (tv_) {
		set label (200 + i_) tt_ at screen tx_, ty_ center rotate by 90 front
	} else {
		if (ta_ == 0) {
			set label (200 + i_) tt_ at screen tx_, ty_ left front
		} else {
			if (ta_ == 2) {
				set label (200 + i_) tt_ at screen tx_, ty_ right front
			} else {
				set label (200 + i_) tt_ at screen tx_, ty_ center front
			}
		}
	}
}
