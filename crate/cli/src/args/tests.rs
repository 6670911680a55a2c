use super::*;

fn parse_str(line: &str) -> Result<Command, ArgsError> {
    let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    parse(&args)
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn fit_with_every_option() {
    let command = parse(&args(&[
        "fit",
        "data.csv",
        "--formula",
        "spin ~ within(wai) + (1 | id)",
        "--id",
        "id",
        "--time=week",
        "--ml",
        "--df",
        "between-within",
        "--na",
        "-99, 999,",
        "--delimiter",
        "tab",
        "--json",
    ]));
    assert_eq!(
        command,
        Ok(Command::Fit(FitArgs {
            data: DataArgs {
                path: "data.csv".into(),
                id: Some("id".into()),
                time: Some("week".into()),
                na: vec!["-99".into(), "999".into()],
                delimiter: Some(b'\t'),
                json: true,
                ..DataArgs::default()
            },
            formula: "spin ~ within(wai) + (1 | id)".into(),
            reml: false,
            df: DfMethod::BetweenWithin,
            correlation: ResidualStructure::Identity,
            r_script: false,
            exports: Exports::default(),
        }))
    );
}

#[test]
fn a_correlation_defaults_to_between_within_df() {
    let fit = |extra: &[&str]| {
        let mut a = vec!["fit", "-", "--formula", "y ~ x + (1 | id)"];
        a.extend(extra);
        match parse(&args(&a)) {
            Ok(Command::Fit(fit)) => Ok((fit.correlation, fit.df)),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        }
    };
    assert_eq!(
        fit(&["--correlation", "ar1"]),
        Ok((ResidualStructure::Ar1, DfMethod::BetweenWithin))
    );
    assert_eq!(
        fit(&["--correlation=car1", "--df", "residual"]),
        Ok((ResidualStructure::Car1, DfMethod::Residual))
    );
    let err = fit(&["--correlation", "arma"]).expect_err("unknown structure");
    assert!(err.contains("ar1, car1"), "{err}");
}

#[test]
fn fit_defaults_are_lmertest_defaults() {
    let Ok(Command::Fit(fit)) = parse(&args(&["fit", "-", "--formula", "y ~ x"])) else {
        panic!("expected a fit command");
    };
    assert_eq!(fit.data.path, "-");
    assert!(fit.reml);
    assert_eq!(fit.df, DfMethod::Satterthwaite);
    assert_eq!(fit.data.delimiter, None);
    assert!(fit.data.na.is_empty());
    assert!(!fit.data.json);
}

#[test]
fn describe_takes_variables_after_the_file() {
    assert_eq!(
        parse_str("describe d.csv --id id spin --time week wai"),
        Ok(Command::Describe(DescribeArgs {
            data: DataArgs {
                path: "d.csv".into(),
                id: Some("id".into()),
                time: Some("week".into()),
                ..DataArgs::default()
            },
            variables: vec!["spin".into(), "wai".into()],
        }))
    );
    assert_eq!(
        parse_str("describe d.csv --id id --time week"),
        Err(ArgsError::NoVariables)
    );
    assert_eq!(
        parse_str("describe d.csv --id id spin"),
        Err(ArgsError::MissingPanel)
    );
}

#[test]
fn help_and_version() {
    assert_eq!(parse_str("--help"), Ok(Command::Help(None)));
    assert_eq!(
        parse_str("help describe"),
        Ok(Command::Help(Some(CommandName::Describe)))
    );
    assert_eq!(
        parse_str("fit data.csv -h"),
        Ok(Command::Help(Some(CommandName::Fit)))
    );
    assert_eq!(parse_str("--version"), Ok(Command::Version));
}

#[test]
fn argument_errors() {
    assert_eq!(parse_str(""), Err(ArgsError::NoCommand));
    assert_eq!(
        parse_str("fitt d.csv"),
        Err(ArgsError::UnknownCommand("fitt".into()))
    );
    assert_eq!(parse_str("fit d.csv"), Err(ArgsError::MissingFormula));
    assert_eq!(
        parse_str("fit --formula y~x"),
        Err(ArgsError::MissingData(CommandName::Fit))
    );
    assert_eq!(
        parse_str("fit d.csv --formula"),
        Err(ArgsError::MissingValue("--formula".into()))
    );
    assert_eq!(
        parse_str("fit d.csv --formula y~x other.csv"),
        Err(ArgsError::ExtraArgument {
            command: CommandName::Fit,
            argument: "other.csv".into()
        })
    );
    assert_eq!(
        parse_str("fit d.csv --json=yes --formula y~x"),
        Err(ArgsError::FlagWithValue("--json".into()))
    );
    assert!(matches!(
        parse_str("fit d.csv --formula y~x --df kenward-rogers"),
        Err(ArgsError::BadValue { option: "--df", .. })
    ));
    assert!(matches!(
        parse_str("fit d.csv --formula y~x --df kenward-roger"),
        Ok(Command::Fit(FitArgs {
            df: DfMethod::KenwardRoger,
            ..
        }))
    ));
    assert!(matches!(
        parse_str("fit d.csv --formula y~x --delimiter :"),
        Err(ArgsError::BadValue {
            option: "--delimiter",
            ..
        })
    ));
}

#[test]
fn unknown_options_suggest_a_near_one() {
    assert_eq!(
        parse_str("fit d.csv --formla y~x"),
        Err(ArgsError::UnknownOption {
            command: CommandName::Fit,
            option: "--formla".into(),
            suggestion: Some("--formula"),
        })
    );
    // --ml is a fit option, not a describe one.
    assert_eq!(
        parse_str("describe d.csv --ml"),
        Err(ArgsError::UnknownOption {
            command: CommandName::Describe,
            option: "--ml".into(),
            suggestion: None,
        })
    );
    assert_eq!(
        parse_str("fit d.csv --verbose"),
        Err(ArgsError::UnknownOption {
            command: CommandName::Fit,
            option: "--verbose".into(),
            suggestion: None,
        })
    );
    let message = parse_str("fit d.csv --formla y~x")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        message,
        "unknown option '--formla' for 'lagmix fit' (did you mean '--formula'?); \
         see 'lagmix fit --help'"
    );
}

#[test]
fn option_before_the_command_says_to_put_the_command_first() {
    let message = parse_str("--json fit d.csv")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("write the command first"), "{message}");
}

#[test]
fn double_dash_ends_options() {
    let Ok(Command::Describe(d)) = parse_str("describe --id i --time t d.csv -- -odd") else {
        panic!("expected a describe command");
    };
    assert_eq!(d.variables, vec!["-odd".to_string()]);
}

#[test]
fn delimiters_by_name_and_character() {
    assert_eq!(parse_delimiter(";"), Ok(b';'));
    assert_eq!(parse_delimiter("semicolon"), Ok(b';'));
    assert_eq!(parse_delimiter("\t"), Ok(b'\t'));
    assert_eq!(parse_delimiter(","), Ok(b','));
}

#[test]
fn edit_distance_by_hand() {
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("--id", "--id"), 0);
}

#[test]
fn fit_takes_the_output_files() {
    let command = parse(&args(&[
        "fit",
        "data.csv",
        "--formula",
        "y ~ x + (1 | id)",
        "--random-effects",
        "ranef.csv",
        "--derived-data=derived.csv",
    ]));
    let Ok(Command::Fit(fit)) = command else {
        panic!("a fit command: {command:?}");
    };
    assert_eq!(
        fit.exports,
        Exports {
            random_effects: Some("ranef.csv".into()),
            derived_data: Some("derived.csv".into()),
        }
    );
    assert_eq!(
        parse(&args(&[
            "fit",
            "d.csv",
            "--formula",
            "y ~ (1 | g)",
            "--random-effects"
        ])),
        Err(ArgsError::MissingValue("--random-effects".into()))
    );
}
