import type { CSSProperties, ReactNode } from "react";

/** `<option>`s for records with an id: the id is the value, `text` what is shown. */
export function ItemOptions<T extends { id: string }>({
  items,
  text,
}: {
  items: readonly T[] | undefined;
  text: (item: T) => ReactNode;
}) {
  return (
    <>
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {text(item)}
        </option>
      ))}
    </>
  );
}

/**
 * A `<select>` over a fixed list of string choices (roles, sorts, colour maps…), each its own value;
 * `text` words a choice (the choice itself by default). `children` come first, e.g. an "all" option.
 */
export function ChoiceSelect<T extends string>(props: {
  label: string;
  testId?: string;
  value: T;
  options: readonly T[];
  text?: (option: T) => ReactNode;
  onChange: (value: T) => void;
  disabled?: boolean;
  style?: CSSProperties;
  children?: ReactNode;
}) {
  return (
    <select
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value}
      disabled={props.disabled}
      style={props.style}
      onChange={(event) => props.onChange(event.target.value as T)}
    >
      {props.children}
      {props.options.map((option) => (
        <option key={option} value={option}>
          {props.text ? props.text(option) : option}
        </option>
      ))}
    </select>
  );
}
