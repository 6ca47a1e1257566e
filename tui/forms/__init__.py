"""The forms over a record: fields validated as they are typed, lists edited as lists."""
