import io

from django.core.management.base import OutputWrapper

from learning_platform.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place():
    screen = Terminal()
    progress = Progress(OutputWrapper(screen), label="classes", total=4, verbosity=1)

    progress.advance(2)
    progress.advance(2)
    progress.finish()

    assert screen.getvalue() == (
        "\rclasses [" + "#" * 15 + "-" * 15 + "] 2/4\rclasses [" + "#" * 30 + "] 4/4\n"
    )


def test_off_a_terminal_each_batch_is_a_plain_line():
    log = io.StringIO()
    progress = Progress(OutputWrapper(log), label="classes", total=4, verbosity=1)

    progress.advance(3)
    progress.advance(3)  # a short last batch does not count past the total

    assert log.getvalue().splitlines() == ["classes: 3/4 (75%)", "classes: 4/4 (100%)"]


def test_verbosity_zero_is_silent():
    log = Terminal()
    progress = Progress(OutputWrapper(log), label="classes", total=4, verbosity=0)

    progress.advance(4)
    progress.finish()

    assert log.getvalue() == ""


def test_the_bar_is_not_styled_as_an_error():
    screen = Terminal()
    stderr = OutputWrapper(screen)
    stderr.style_func = lambda text: f"<red>{text}</red>"  # what commands give stderr on a tty
    progress = Progress(stderr, label="classes", total=1, verbosity=1)

    progress.advance(1)
    progress.finish()

    assert "<red>" not in screen.getvalue()
